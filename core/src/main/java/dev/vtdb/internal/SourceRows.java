package dev.vtdb.internal;

import dev.vtdb.Row;
import java.sql.SQLException;
import java.util.stream.Stream;

/**
 * The {@link dev.vtdb.Session#stream} of rows a driver reads without a cursor ({@link
 * DriverSupport#openStream}), taken from the source a batch at a time with one check for
 * cancellation per batch, as {@link JdbcCursor} does.
 */
final class SourceRows extends AheadRows {
    private final JdbcSession session;
    private final String sql;
    private final DriverSupport.RowSource source;

    SourceRows(JdbcSession session, String sql, DriverSupport.RowSource source) {
        this.session = session;
        this.sql = sql;
        this.source = source;
    }

    Stream<Row> stream() {
        return stream(() -> session.sourceClosed(source));
    }

    @Override
    int fill(Row[] out) {
        boolean bulk = SpinWait.beginBulk();
        try {
            session.checkInterrupted();
            int n = 0;
            Row r;
            while (n < out.length && (r = source.next()) != null) {
                out[n++] = r;
            }
            return n;
        } catch (SQLException e) {
            throw session.fail("stream", sql, e);
        } finally {
            SpinWait.endBulk(bulk);
        }
    }

    @Override
    void ended() {
        session.sourceClosed(source);
    }
}
