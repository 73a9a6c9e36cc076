package dev.vtdb.bench.sql;

import com.zaxxer.hikari.HikariDataSource;
import dev.vtdb.bench.Servers;
import dev.vtdb.bench.Threads;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.async.JdbiExecutor;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Jdbi 3's {@link JdbiExecutor} over HikariCP, with an executor of {@value Servers#POOL_SIZE}
 * named platform threads: one per connection, as Jdbi's documentation recommends.
 */
final class JdbiPeer implements SqlPeer {
    private final Dialect dialect;
    private final HikariDataSource ds;
    private final ExecutorService executor;
    private final JdbiExecutor jdbi;

    JdbiPeer(Dialect dialect) {
        this.dialect = dialect;
        String tag = dialect == Dialect.POSTGRES ? "pg" : "my";
        this.ds = JdbcPeer.dataSource(dialect, "bench-" + tag + "-jdbi");
        this.executor = Threads.fixedPlatform("bench-" + tag + "-jdbi-", Servers.POOL_SIZE);
        this.jdbi = JdbiExecutor.create(Jdbi.create(ds), executor);
    }

    @Override
    public CompletableFuture<Integer> pointSelect(int id) {
        return jdbi.withHandle(h -> h.createQuery(Dialect.POINT_SELECT)
                        .bind(0, id)
                        .map((rs, ctx) -> rs.getInt(2))
                        .one())
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<Integer> multiSelect(int[] ids) {
        return jdbi.withHandle(h -> {
                    int sum = 0;
                    for (int id : ids) {
                        sum += h.createQuery(Dialect.POINT_SELECT)
                                .bind(0, id)
                                .map((rs, ctx) -> rs.getInt(2))
                                .one();
                    }
                    return sum;
                })
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<List<Fortune>> fortunes() {
        return jdbi.withHandle(h -> h.createQuery(Dialect.FORTUNES)
                        .map((rs, ctx) -> new Fortune(rs.getInt(1), rs.getString(2)))
                        .list())
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<Integer> updates(int[] sortedIds, int[] values) {
        return jdbi.withHandle(h -> {
                    PreparedBatch batch = h.prepareBatch(Dialect.UPDATE);
                    for (int i = 0; i < sortedIds.length; i++) {
                        batch.bind(0, values[i]).bind(1, sortedIds[i]).add();
                    }
                    int n = 0;
                    for (int r : batch.execute()) {
                        n += Math.max(r, 0);
                    }
                    return n;
                })
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<Long> executeMany(int rows) {
        return jdbi.inTransaction(h -> {
                    PreparedBatch batch = h.prepareBatch(Dialect.INSERT);
                    for (int i = 0; i < rows; i++) {
                        batch.bind(0, i)
                                .bind(1, BulkRows.a(i))
                                .bind(2, BulkRows.b(i))
                                .add();
                    }
                    batch.execute();
                    return (long) rows;
                })
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<Long> streamRead(int fetchSize) {
        return jdbi.inTransaction(h -> h.createQuery(Dialect.STREAM)
                        .setFetchSize(fetchSize)
                        .map((rs, ctx) ->
                                rs.getInt(1) + rs.getInt(2) + rs.getString(3).length())
                        .withStream(s -> s.mapToLong(v -> 1L).sum()))
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<?> sleep(double seconds) {
        return jdbi.withHandle(h -> h.createQuery(dialect.sleep(seconds))
                        .map((rs, ctx) -> 1)
                        .one())
                .toCompletableFuture();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ds.close();
    }
}
