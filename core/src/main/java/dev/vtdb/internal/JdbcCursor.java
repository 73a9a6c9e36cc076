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
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A server-side cursor over one query, read a chunk ({@code fetchSize}) at a time. */
final class JdbcCursor implements Cursor {
    private final JdbcSession session;
    private final String sql;
    private final PreparedStatement statement;
    private final ResultSet resultSet;
    private final RowReader reader;
    private final boolean ownTransaction;
    /** Rows made ahead of the caller, from the driver's current chunk. */
    private static final int READ_AHEAD = 64;

    private final Row[] ahead = new Row[READ_AHEAD];
    private int aheadAt;
    private int aheadEnd;
    private long rowCount;
    private boolean exhausted;
    /** What ended the rows, thrown once the rows made before it are taken. */
    private RuntimeException failure;

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
        if (aheadAt == aheadEnd && !readAhead()) {
            return null;
        }
        Row r = ahead[aheadAt];
        ahead[aheadAt++] = null;
        rowCount++;
        return r;
    }

    /**
     * Makes the next rows of the driver's fetched chunk into rows, up to {@link #READ_AHEAD}, in one
     * tight loop (the driver already holds them: this reads nothing more from the server).
     *
     * @return false when the result is exhausted
     */
    private boolean readAhead() {
        if (failure != null) {
            RuntimeException e = failure;
            failure = null;
            throw e;
        }
        if (exhausted) {
            return false;
        }
        // stays registered for cancellation between rows (a statement that is not executing ignores a
        // cancel); another statement run meanwhile replaces it, and the next rows register it again
        session.registerStatement(statement);
        boolean bulk = SpinWait.beginBulk();
        int n;
        try {
            session.checkInterrupted();
            n = reader.readInto(resultSet, ahead);
            exhausted = n < ahead.length;
        } catch (SQLException e) {
            // the rows made before the failure first (the array is empty before each batch)
            n = 0;
            while (n < ahead.length && ahead[n] != null) {
                n++;
            }
            exhausted = true;
            failure = session.fail("cursor fetch", sql, e);
            if (n == 0) {
                return readAhead();
            }
        } finally {
            SpinWait.endBulk(bulk);
        }
        aheadAt = 0;
        aheadEnd = n;
        return n > 0;
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
        Spliterator<Row> split =
                new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
                    @Override
                    public boolean tryAdvance(Consumer<? super Row> action) {
                        Row r = next();
                        if (r == null) {
                            return false;
                        }
                        action.accept(r);
                        return true;
                    }
                };
        return StreamSupport.stream(split, false).onClose(this::close);
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
