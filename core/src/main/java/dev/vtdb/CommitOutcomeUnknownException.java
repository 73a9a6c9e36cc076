package dev.vtdb;

/**
 * The connection was lost while COMMIT was in flight: the transaction may or may not have been
 * committed. vtdb never retries such a transaction on its own; check on the server.
 */
public class CommitOutcomeUnknownException extends ConnectionLostException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was committing
     * @param cause the driver's exception
     */
    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
