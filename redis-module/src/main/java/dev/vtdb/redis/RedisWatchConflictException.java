package dev.vtdb.redis;

/**
 * A {@link RedisClient#transaction transaction} gave up: a WATCHed key was changed by another
 * client before every one of its attempts could commit.
 */
public class RedisWatchConflictException extends RedisCommandException {
    private static final long serialVersionUID = 1L;

    /** How many times the body ran. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param message what was tried, with the keys and the number of attempts
     * @param key the first watched key, or {@code null}
     * @param attempts how many times the body ran
     */
    public RedisWatchConflictException(String message, String key, int attempts) {
        super(message, "EXEC", key, null, null);
        this.attempts = attempts;
    }

    /**
     * Returns how many times the transaction body ran before giving up.
     *
     * @return the number of attempts
     */
    public int attempts() {
        return attempts;
    }
}
