package dev.vtdb;

/** A call was made on a {@link Database} (or client) after {@code close()} began. */
public class DatabaseClosedException extends VtdbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which database was closed and what was attempted
     */
    public DatabaseClosedException(String message) {
        super(message);
    }
}
