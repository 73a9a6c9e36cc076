package dev.vtdb.redis;

import dev.vtdb.VtdbException;

/**
 * Redis answered a command with an error reply ({@code WRONGTYPE}, {@code NOSCRIPT}, {@code ERR}...),
 * or the command was refused before being sent (keys spanning cluster slots, text that is not valid
 * Unicode), or a {@code String} method got a reply that is not valid UTF-8. The message names the
 * command and its key; the Jedis exception (or the {@link java.nio.charset.MalformedInputException}),
 * when there is one, is the cause.
 */
public class RedisCommandException extends VtdbException {
    private static final long serialVersionUID = 1L;

    /** The command name. */
    private final String command;

    /** The command's first key, or {@code null}. */
    private final String key;

    /** The first word of the server's error reply, or {@code null}. */
    private final String errorCode;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming command and key
     * @param command the command name, such as {@code GET}
     * @param key the command's (first) key, or {@code null}
     * @param errorCode the first word of the server's error reply ({@code WRONGTYPE}), or {@code null}
     * @param cause the driver's exception, or {@code null}
     */
    public RedisCommandException(String message, String command, String key, String errorCode, Throwable cause) {
        super(message, cause);
        this.command = command;
        this.key = key;
        this.errorCode = errorCode;
    }

    /**
     * Returns the failed command's name.
     *
     * @return the command, such as {@code HGET}
     */
    public String command() {
        return command;
    }

    /**
     * Returns the failed command's (first) key.
     *
     * @return the key, or {@code null} for keyless commands
     */
    public String key() {
        return key;
    }

    /**
     * Returns the server's error code, the first word of its reply.
     *
     * @return {@code WRONGTYPE}, {@code ERR}, {@code NOSCRIPT}..., or {@code null} when refused client-side
     */
    public String errorCode() {
        return errorCode;
    }
}
