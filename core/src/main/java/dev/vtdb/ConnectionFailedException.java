package dev.vtdb;

/**
 * No connection could be made: the server refused the login (wrong password, unknown user or
 * database, a TLS certificate that does not verify) or could not be reached in time. A {@link
 * ConnectionLostException} too, so code that handles lost connections handles this one. The
 * message names the server, the driver's reason with its SQL state and vendor code, and the pool
 * counters; a login the server refused fails at once instead of waiting out the connect timeout,
 * since asking again cannot help.
 */
public class ConnectionFailedException extends ConnectionLostException {
    private static final long serialVersionUID = 1L;

    /** SQLSTATE of the driver's failure, or {@code null}. */
    private final String sqlState;

    /** Vendor error code of the driver's failure, or 0. */
    private final int vendorCode;

    /**
     * Creates the exception.
     *
     * @param message what failed, with the server and the reason
     * @param sqlState the SQLSTATE of the driver's failure, or {@code null}
     * @param vendorCode the vendor code of the driver's failure, or 0
     * @param cause the driver's exception
     */
    public ConnectionFailedException(String message, String sqlState, int vendorCode, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    /**
     * Returns the SQLSTATE the driver gave the failure, e.g. {@code 28P01} (PostgreSQL password
     * refused) or {@code 28000} (MySQL access denied).
     *
     * @return the SQLSTATE, or {@code null} when the failure had none (a refused TCP connection)
     */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Returns the vendor error code, e.g. MySQL's {@code 1045}.
     *
     * @return the code, 0 when none
     */
    public int vendorCode() {
        return vendorCode;
    }
}
