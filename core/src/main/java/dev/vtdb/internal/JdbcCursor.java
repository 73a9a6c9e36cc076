package dev.vtdb.internal;

import dev.vtdb.Cursor;
import dev.vtdb.Row;
import dev.vtdb.VtdbException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A server-side cursor over one query, read a chunk ({@code fetchSize}) at a time. */
final class JdbcCursor extends AheadRows implements Cursor {
    private final JdbcSession session;
    private final String sql;
    private final PreparedStatement statement;
    private final ResultSet resultSet;
    private final RowReader reader;
    private final boolean ownTransaction;
    private long rowCount;
    private boolean closed;

    JdbcCursor(
            JdbcSession session,
            String sql,
            PreparedStatement statement,
            ResultSet resultSet,
            RowReader reader,
            boolean ownTransaction) {
        this.session = session;
        this.sql = sql;
        this.statement = statement;
        this.resultSet = resultSet;
        this.reader = reader;
        this.ownTransaction = ownTransaction;
    }

    @Override
    public Optional<Row> fetchOne() {
        List<Row> rows = fetchMany(1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    @Override
    public List<Row> fetchMany(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("fetchMany needs n >= 1 but was " + n);
        }
        List<Row> rows = new ArrayList<>(Math.min(n, 1024));
        while (rows.size() < n) {
            Row r = next();
            if (r == null) {
                break;
            }
            rows.add(r);
        }
        return rows;
    }

    @Override
    public List<Row> fetchAll() {
        List<Row> rows = new ArrayList<>();
        for (Row r = next(); r != null; r = next()) {
            rows.add(r);
        }
        return rows;
    }

    private Row next() {
        if (closed) {
            throw new VtdbException("cursor is closed");
        }
        Row r = nextRow();
        if (r != null) {
            rowCount++;
        }
        return r;
    }

    /**
     * Makes the next rows of the driver's fetched chunk into rows in one tight loop (the driver
     * already holds them: this reads nothing more from the server until the chunk is used up).
     */
    @Override
    int fill(Row[] out) {
        // stays registered for cancellation between rows (a statement that is not executing ignores a
        // cancel); another statement run meanwhile replaces it, and the next rows register it again
        session.registerStatement(statement);
        boolean bulk = SpinWait.beginBulk();
        try {
            session.checkInterrupted();
            return reader.readInto(resultSet, out);
        } catch (SQLException e) {
            throw session.fail("cursor fetch", sql, e);
        } finally {
            SpinWait.endBulk(bulk);
        }
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public List<String> keys() {
        return reader.columns().labels();
    }

    Stream<Row> stream() {
        return stream(this::close);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        session.unregisterStatement(statement);
        JdbcSession.closeQuietly(resultSet);
        JdbcSession.closeQuietly(statement);
        session.cursorClosed(this, ownTransaction);
    }
}
