package dev.vtdb.internal;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.ConstraintViolationException;
import dev.vtdb.QueryException;
import dev.vtdb.VtdbException;
import java.sql.SQLException;

/** Turns driver exceptions into vtdb's, with context and without secrets or bound values. */
public final class Errors {
    private Errors() {}

    /**
     * Translates a driver exception raised by a statement.
     *
     * @param driver the module's driver support
     * @param database the database name for the message
     * @param operation what was running ({@code fetch}, {@code execute}...)
     * @param sql the statement, or {@code null}
     * @param e the driver's exception
     * @return the vtdb exception to throw
     */
    public static VtdbException translate(
            DriverSupport driver, String database, String operation, String sql, SQLException e) {
        String redacted = SqlParser.redact(sql, driver.sqlFlavor());
        String state = e.getSQLState();
        int code = e.getErrorCode();
        String detail = Secrets.mask(driver.errorMessage(e));
        String where = database + " " + operation;
        String tail = " (SQLSTATE " + state + ", vendor code " + code + ")"
                + (redacted == null ? "" : " — SQL: " + abbreviate(redacted));
        if (driver.isConnectionError(e)) {
            return new ConnectionLostException(
                    where + " lost its connection to " + driver.describeServer() + ": " + detail + tail, e);
        }
        if (driver.isConstraintViolation(e)) {
            String constraint = driver.constraintName(e);
            return new ConstraintViolationException(
                    where + " violated " + (constraint == null ? "a constraint" : "constraint " + constraint) + ": "
                            + detail + tail,
                    state,
                    code,
                    redacted,
                    constraint,
                    e);
        }
        return new QueryException(where + " failed: " + detail + tail, state, code, redacted, e);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }
}
