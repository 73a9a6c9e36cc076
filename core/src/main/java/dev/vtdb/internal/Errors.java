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

    /**
     * Returns the first {@link SQLException} in a cause chain.
     *
     * @param failure the failure, or {@code null}
     * @return the exception, or {@code null} when the chain holds none
     */
    static SQLException firstSqlException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                return e;
            }
        }
        return null;
    }

    /**
     * Describes a failure to connect in one line, secrets masked: the driver's reason with its SQL
     * state and vendor code, then what lies under it (a TLS handshake's reason, a refused socket)
     * when the driver's text does not say it already.
     *
     * @param failure the pool's last failure to connect
     * @return the description
     */
    static String describeConnectFailure(Throwable failure) {
        SQLException sql = firstSqlException(failure);
        Throwable top = sql != null ? sql : failure;
        String text = firstLine(top.getMessage() == null ? top.toString() : top.getMessage());
        StringBuilder b = new StringBuilder(text);
        if (sql != null && (sql.getSQLState() != null || sql.getErrorCode() != 0)) {
            b.append(" (SQLSTATE ")
                    .append(sql.getSQLState())
                    .append(", vendor code ")
                    .append(sql.getErrorCode())
                    .append(')');
        }
        Throwable root = top;
        for (Throwable t = top.getCause(); t != null && t != root; t = t.getCause()) {
            root = t;
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                break;
            }
        }
        if (root != top && root.getMessage() != null && !text.contains(firstLine(root.getMessage()))) {
            boolean tls = root instanceof javax.net.ssl.SSLException
                    || root instanceof java.security.cert.CertificateException;
            b.append(tls ? "; TLS: " : "; cause: ").append(firstLine(root.getMessage()));
        }
        return Secrets.mask(b.toString());
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
