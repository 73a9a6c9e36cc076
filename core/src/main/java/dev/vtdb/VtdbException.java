package dev.vtdb;

/**
 * Root of every exception vtdb throws; unchecked, like Jdbi's {@code JdbiException}.
 *
 * <p>The driver's exception, when there is one, is the {@linkplain #getCause() cause}. Messages
 * never contain passwords or bound parameter values.
 */
public class VtdbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what failed, with context
     */
    public VtdbException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the underlying cause.
     *
     * @param message what failed, with context
     * @param cause the driver's or JDK's exception
     */
    public VtdbException(String message, Throwable cause) {
        super(message, cause);
    }
}
