package dev.vtdb;

/**
 * A call was refused at once because the request queue is full (admission control), or no
 * connection could be had in time. The message carries the pool counters.
 */
public class PoolExhaustedException extends VtdbException {
    private static final long serialVersionUID = 1L;

    private final transient PoolStats stats;

    /**
     * Creates the exception.
     *
     * @param message what was refused, with counters
     * @param stats the counters at the time of refusal
     */
    public PoolExhaustedException(String message, PoolStats stats) {
        super(message);
        this.stats = stats;
    }

    /**
     * Returns the counters when the call was refused.
     *
     * @return the pool's counters
     */
    public PoolStats stats() {
        return stats;
    }
}
