package dev.vtdb;

/**
 * The connection broke during a call (server restart, killed backend, network failure). The
 * connection was evicted from the pool and replaced; the call's outcome on the server is unknown
 * unless it was a read.
 */
public class ConnectionLostException extends VtdbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was running
     * @param cause the driver's exception
     */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
