package dev.vtdb;

/**
 * A statement failed on the server or in the driver.
 *
 * <p>Carries the SQL state, the vendor code and the SQL text (placeholders only: bound values are
 * never part of the message). The driver's {@link java.sql.SQLException} is the cause.
 */
public class QueryException extends VtdbException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final int vendorCode;
    private final String sql;

    /**
     * Creates a query exception.
     *
     * @param message what failed
     * @param sqlState the five-character SQL state, or {@code null} when the driver gave none
     * @param vendorCode the database's own error code (MySQL's 1062, for instance), or 0
     * @param sql the statement text with placeholders, or {@code null}
     * @param cause the driver's exception
     */
    public QueryException(String message, String sqlState, int vendorCode, String sql, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
        this.sql = sql;
    }

    /**
     * Returns the SQL state of the failure.
     *
     * @return the five-character SQL state (for example {@code 42601}), or {@code null}
     */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Returns the vendor-specific error code.
     *
     * @return the code (for example MySQL's 1062 for a duplicate key), or 0 when there is none
     */
    public int vendorCode() {
        return vendorCode;
    }

    /**
     * Returns the statement that failed.
     *
     * @return the SQL text with placeholders, never with bound values; may be {@code null}
     */
    public String sql() {
        return sql;
    }

    /**
     * Tells whether retrying the whole transaction may succeed: serialization failure (40001),
     * deadlock (40P01, MySQL 1213) or lock wait timeout (MySQL 1205).
     *
     * @return {@code true} for a transient conflict
     */
    public boolean isTransactionConflict() {
        return "40001".equals(sqlState) || "40P01".equals(sqlState) || vendorCode == 1213 || vendorCode == 1205;
    }
}
