package dev.vtdb;

/**
 * A statement broke an integrity constraint: unique, foreign key, not-null or check (SQL state
 * class 23, MySQL 1062/1451/1452/1048).
 */
public class ConstraintViolationException extends QueryException {
    private static final long serialVersionUID = 1L;

    private final String constraint;

    /**
     * Creates a constraint violation.
     *
     * @param message what failed
     * @param sqlState the SQL state (class 23)
     * @param vendorCode the vendor code
     * @param sql the statement text with placeholders
     * @param constraint the constraint's name when the server reported it, or {@code null}
     * @param cause the driver's exception
     */
    public ConstraintViolationException(
            String message, String sqlState, int vendorCode, String sql, String constraint, Throwable cause) {
        super(message, sqlState, vendorCode, sql, cause);
        this.constraint = constraint;
    }

    /**
     * Returns the violated constraint.
     *
     * @return the constraint or key name (for example {@code girl_name_key}), or {@code null}
     */
    public String constraint() {
        return constraint;
    }
}
