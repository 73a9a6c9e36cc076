package dev.vtdb.internal;

import dev.vtdb.Row;
import dev.vtdb.Session;
import dev.vtdb.SessionCallback;
import java.util.List;
import java.util.function.Function;

/**
 * A queued read that may share one round trip with other queued reads of the same statement: a
 * worker that takes it also takes the same statement's reads queued right behind it (up to {@link
 * DriverSupport#pipelineLimit()}) and sends them as one multi-statement execute ({@link
 * DriverSupport#preparePipelined}: pgjdbc sends them with a single sync; on MySQL they are one text
 * framed by {@code START TRANSACTION READ ONLY} and {@code COMMIT}), so the server reads them in
 * one go and answers in one flush. Only {@linkplain SqlParser.Parsed#plainSelect() plain SELECTs}
 * made directly on a {@code Database} (not inside a callback) qualify; where the driver {@linkplain
 * DriverSupport#pipelineVetsColumns() vets columns}, only once one read of the statement ran alone
 * and its columns passed. When the shared execute fails for any reason but a lost connection,
 * nothing of it was committed (one transaction, rolled back) and each read runs again on its own,
 * so every caller gets its own result or its own error.
 *
 * @param operation the call's name for messages ({@code fetchRow})
 * @param original the caller's SQL, for messages
 * @param sql the statement with JDBC placeholders
 * @param values one value per placeholder
 * @param maxRows the most rows read, 0 for all
 * @param result turns the rows into the call's value
 * @param <T> the call's result type
 */
record Pipelined<T>(
        String operation, String original, String sql, Object[] values, int maxRows, Function<List<Row>, T> result)
        implements SessionCallback<T> {

    /** Whether {@code other} may share a round trip with this read. */
    boolean fits(Pipelined<?> other) {
        return other != null
                && maxRows == other.maxRows
                && values.length == other.values.length
                && (sql == other.sql || sql.equals(other.sql));
    }

    /** Runs the read alone (nothing to share with, or inside a callback). */
    @Override
    public T apply(Session session) {
        return result.apply(((JdbcSession) session).queryAlone(this));
    }
}
