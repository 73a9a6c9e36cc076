package dev.vtdb.internal;

import dev.vtdb.Row;
import java.sql.SQLException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link dev.vtdb.Session#stream} of rows a driver reads without a cursor ({@link
 * DriverSupport#openStream}): rows are taken from the source a batch at a time, with one check for
 * cancellation per batch, as {@link JdbcCursor} does.
 */
final class SourceRows {
    private static final int BATCH = 64;

    private final JdbcSession session;
    private final String sql;
    private final DriverSupport.RowSource source;
    private final Row[] ahead = new Row[BATCH];
    private int aheadAt;
    private int aheadEnd;
    private boolean exhausted;
    /** What ended the rows, thrown once the rows read before it are taken. */
    private RuntimeException failure;

    SourceRows(JdbcSession session, String sql, DriverSupport.RowSource source) {
        this.session = session;
        this.sql = sql;
        this.source = source;
    }

    Stream<Row> stream() {
        Spliterator<Row> split =
                new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
                    @Override
                    public boolean tryAdvance(Consumer<? super Row> action) {
                        if (aheadAt == aheadEnd && !readAhead()) {
                            return false;
                        }
                        Row r = ahead[aheadAt];
                        ahead[aheadAt++] = null;
                        action.accept(r);
                        return true;
                    }
                };
        return StreamSupport.stream(split, false).onClose(() -> session.sourceClosed(source));
    }

    private boolean readAhead() {
        if (failure != null) {
            RuntimeException e = failure;
            failure = null;
            throw e;
        }
        if (exhausted) {
            return false;
        }
        boolean bulk = SpinWait.beginBulk();
        int n = 0;
        try {
            session.checkInterrupted();
            Row r;
            while (n < BATCH && (r = source.next()) != null) {
                ahead[n++] = r;
            }
            exhausted = n < BATCH;
        } catch (SQLException e) {
            failure = session.fail("stream", sql, e);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            SpinWait.endBulk(bulk);
        }
        if (failure != null) {
            // the rows before the failure first, as the server sent them
            exhausted = true;
            session.sourceClosed(source);
            if (n == 0) {
                return readAhead();
            }
        } else if (exhausted) {
            session.sourceClosed(source);
        }
        aheadAt = 0;
        aheadEnd = n;
        return n > 0;
    }
}
