package dev.vtdb.bench.sql;

import dev.vtdb.Database;
import dev.vtdb.Row;
import dev.vtdb.SessionCallback;
import dev.vtdb.postgres.PgDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * vtdb itself as a bench peer, over any {@link Database} (PostgreSQL or MySQL): the row the other
 * peers are compared with; opened by {@link SqlPeers} with a pool of 16.
 */
final class VtdbSqlPeer implements SqlPeer {
    /**
     * The streaming read's columns by label ({@code -Dvtdb.bench.stream.byName=true}) instead of by
     * position: the cost of label lookups, measured with {@code PairedRatio pg-stream}.
     */
    private static final boolean STREAM_BY_NAME = Boolean.getBoolean("vtdb.bench.stream.byName");

    private final Database db;
    private final Dialect dialect;
    private final boolean cursor;

    VtdbSqlPeer(Database db, Dialect dialect) {
        this(db, dialect, false);
    }

    /**
     * Creates the peer.
     *
     * @param cursor the streaming read inside a transaction (peer {@code vtdb-cursor}), where a
     *     stream reads a cursor
     */
    VtdbSqlPeer(Database db, Dialect dialect, boolean cursor) {
        this.db = db;
        this.dialect = dialect;
        this.cursor = cursor;
    }

    @Override
    public CompletableFuture<Integer> pointSelect(int id) {
        return db.fetchRow(Dialect.POINT_SELECT, id)
                .thenApply(r -> r.orElseThrow().getInt("randomnumber"));
    }

    @Override
    public CompletableFuture<Integer> multiSelect(int[] ids) {
        // the twenty queries of one request at once, as asyncio.gather or Vert.x's Future.all would
        // send them: queued together, they share round trips where the database pipelines reads
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] all = new CompletableFuture[ids.length];
        for (int i = 0; i < ids.length; i++) {
            all[i] = pointSelect(ids[i]);
        }
        return CompletableFuture.allOf(all).thenApply(v -> {
            int sum = 0;
            for (CompletableFuture<Integer> f : all) {
                sum += f.join();
            }
            return sum;
        });
    }

    @Override
    public CompletableFuture<List<Fortune>> fortunes() {
        return db.fetch(Dialect.FORTUNES).thenApply(rows -> {
            List<Fortune> list = new ArrayList<>(rows.size() + 1);
            for (Row r : rows) {
                list.add(new Fortune(r.getInt("id"), r.getString("message")));
            }
            return list;
        });
    }

    @Override
    public CompletableFuture<Integer> updates(int[] sortedIds, int[] values) {
        List<List<Integer>> rows = new ArrayList<>(sortedIds.length);
        for (int i = 0; i < sortedIds.length; i++) {
            rows.add(List.of(values[i], sortedIds[i]));
        }
        return db.executeMany(Dialect.UPDATE, rows).thenApply(r -> (int) r.totalRowCount());
    }

    @Override
    public CompletableFuture<Long> executeMany(int rows) {
        List<List<Object>> args = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            args.add(List.of(i, BulkRows.a(i), BulkRows.b(i)));
        }
        return db.executeMany(Dialect.INSERT, args).thenApply(r -> (long) rows);
    }

    @Override
    public CompletableFuture<Long> streamRead(int fetchSize) {
        // outside a transaction a stream reads COPY (query) TO STDOUT on PostgreSQL; inside one, a
        // cursor (peer vtdb-cursor)
        SessionCallback<Long> read = s -> {
            long n = 0;
            long sum = 0;
            try (Stream<Row> rows = s.stream(Dialect.STREAM)) {
                if (STREAM_BY_NAME) {
                    for (Row r : (Iterable<Row>) rows::iterator) {
                        sum += r.getInt("id") + r.getInt("a") + r.getString("b").length();
                        n++;
                    }
                } else {
                    // by position, as every other peer reads these columns
                    for (Row r : (Iterable<Row>) rows::iterator) {
                        sum += r.getInt(0) + r.getInt(1) + r.getString(2).length();
                        n++;
                    }
                }
            }
            return sum == Long.MIN_VALUE ? -1 : n;
        };
        return cursor ? db.inTransaction(read) : db.withConnection(read);
    }

    @Override
    public CompletableFuture<Long> copyIn(int rows) {
        if (!(db instanceof PgDatabase pg)) {
            throw new UnsupportedOperationException("COPY is PostgreSQL only");
        }
        // asyncpg's copy_records_to_table over a generator: records made one at a time as COPY
        // takes them, encoded by vtdb
        Iterable<List<Object>> records = () -> IntStream.range(0, rows)
                .mapToObj(i -> List.<Object>of(i, BulkRows.a(i), BulkRows.b(i)))
                .iterator();
        return pg.copyRecordsToTable("bench_copy", records, List.of("id", "a", "b"));
    }

    @Override
    public CompletableFuture<?> sleep(double seconds) {
        return db.fetch(dialect.sleep(seconds));
    }

    @Override
    public void close() {
        db.close();
    }
}
