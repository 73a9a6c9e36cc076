package dev.vtdb.bench.sql;

import dev.vtdb.bench.Servers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x 5 reactive SQL clients: the PostgreSQL and MySQL pools ({@code vertx-pooled}, one query
 * per connection at a time) and the PostgreSQL pipelined client ({@code vertx-pipelined}, {@link
 * PgBuilder#client()} with up to {@value #PIPELINING_LIMIT} queries in flight per connection).
 * Prepared statements are cached; the pool spreads its {@value Servers#POOL_SIZE} connections over
 * one event loop per core.
 */
final class VertxPeer implements SqlPeer {
    /** Queries in flight per connection in the pipelined client (Vert.x's default). */
    static final int PIPELINING_LIMIT = 256;

    private final Dialect dialect;
    private final Vertx vertx;
    private final SqlClient client;
    private final Pool pool;

    private VertxPeer(Dialect dialect, Vertx vertx, SqlClient client, Pool pool) {
        this.dialect = dialect;
        this.vertx = vertx;
        this.client = client;
        this.pool = pool;
    }

    private static PoolOptions poolOptions() {
        return new PoolOptions()
                .setMaxSize(Servers.POOL_SIZE)
                .setEventLoopSize(Runtime.getRuntime().availableProcessors());
    }

    private static Vertx vertx() {
        return Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    }

    private static PgConnectOptions pgOptions(int pipeliningLimit) {
        return new PgConnectOptions()
                .setHost(Servers.PG_HOST)
                .setPort(Servers.PG_PORT)
                .setDatabase(Servers.DATABASE)
                .setUser(Servers.PG_USER)
                .setCachePreparedStatements(true)
                .setPipeliningLimit(pipeliningLimit);
    }

    /**
     * Creates the pooled PostgreSQL peer.
     *
     * @param pipelined pipeline queries on each connection instead of one at a time
     * @return the peer
     */
    static VertxPeer postgres(boolean pipelined) {
        Vertx vertx = vertx();
        if (pipelined) {
            SqlClient client = PgBuilder.client()
                    .with(poolOptions())
                    .connectingTo(pgOptions(PIPELINING_LIMIT))
                    .using(vertx)
                    .build();
            return new VertxPeer(Dialect.POSTGRES, vertx, client, null);
        }
        Pool pool = PgBuilder.pool()
                .with(poolOptions())
                .connectingTo(pgOptions(1))
                .using(vertx)
                .build();
        return new VertxPeer(Dialect.POSTGRES, vertx, pool, pool);
    }

    /**
     * Creates the pooled MySQL/MariaDB peer.
     *
     * @return the peer
     */
    static VertxPeer mysql() {
        Vertx vertx = vertx();
        MySQLConnectOptions options = new MySQLConnectOptions()
                .setHost(Servers.MY_HOST)
                .setPort(Servers.MY_PORT)
                .setDatabase(Servers.DATABASE)
                .setUser(Servers.MY_USER)
                .setCachePreparedStatements(true);
        Pool pool = MySQLBuilder.pool()
                .with(poolOptions())
                .connectingTo(options)
                .using(vertx)
                .build();
        return new VertxPeer(Dialect.MYSQL, vertx, pool, pool);
    }

    private static <T> CompletableFuture<T> cf(Future<T> f) {
        return f.toCompletionStage().toCompletableFuture();
    }

    private Future<Integer> select(int id) {
        return client.preparedQuery(dialect.nativePointSelect)
                .execute(Tuple.of(id))
                .map(rs -> rs.iterator().next().getInteger(1));
    }

    @Override
    public CompletableFuture<Integer> pointSelect(int id) {
        return cf(select(id));
    }

    @Override
    public CompletableFuture<Integer> multiSelect(int[] ids) {
        List<Future<Integer>> all = new ArrayList<>(ids.length);
        for (int id : ids) {
            all.add(select(id));
        }
        return cf(Future.all(all).map(cf -> {
            int sum = 0;
            for (int i = 0; i < ids.length; i++) {
                sum += cf.<Integer>resultAt(i);
            }
            return sum;
        }));
    }

    @Override
    public CompletableFuture<List<Fortune>> fortunes() {
        return cf(client.preparedQuery(Dialect.FORTUNES).execute().map(rs -> {
            List<Fortune> list = new ArrayList<>(16);
            for (Row r : rs) {
                list.add(new Fortune(r.getInteger(0), r.getString(1)));
            }
            return list;
        }));
    }

    @Override
    public CompletableFuture<Integer> updates(int[] sortedIds, int[] values) {
        List<Tuple> batch = new ArrayList<>(sortedIds.length);
        for (int i = 0; i < sortedIds.length; i++) {
            batch.add(Tuple.of(values[i], sortedIds[i]));
        }
        return cf(client.preparedQuery(dialect.nativeUpdate).executeBatch(batch).map(rs -> {
            int n = 0;
            for (RowSet<Row> r = rs; r != null; r = r.next()) {
                n += r.rowCount();
            }
            return n;
        }));
    }

    private Pool pool(String workload) {
        if (pool == null) {
            throw new UnsupportedOperationException(workload + " needs the pooled client");
        }
        return pool;
    }

    @Override
    public CompletableFuture<Long> executeMany(int rows) {
        List<Tuple> batch = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            batch.add(Tuple.of(i, BulkRows.a(i), BulkRows.b(i)));
        }
        return cf(pool("executeMany")
                .withTransaction(conn -> conn.preparedQuery(dialect.nativeInsert)
                        .executeBatch(batch)
                        .map(rs -> (long) rows)));
    }

    @Override
    public CompletableFuture<Long> streamRead(int fetchSize) {
        return cf(pool("streamRead")
                .withTransaction(conn -> conn.prepare(Dialect.STREAM).compose(ps -> {
                    Cursor cursor = ps.cursor();
                    return readAll(cursor, fetchSize, 0L).eventually(cursor::close);
                })));
    }

    private static Future<Long> readAll(Cursor cursor, int fetchSize, long acc) {
        return cursor.read(fetchSize).compose(rs -> {
            long n = acc;
            long sum = 0;
            for (Row r : rs) {
                sum += r.getInteger(0) + r.getInteger(1) + r.getString(2).length();
                n++;
            }
            if (sum == Long.MIN_VALUE) {
                n = -1;
            }
            return cursor.hasMore() ? readAll(cursor, fetchSize, n) : Future.succeededFuture(n);
        });
    }

    @Override
    public CompletableFuture<?> sleep(double seconds) {
        return cf(client.query(dialect.sleep(seconds)).execute());
    }

    @Override
    public void close() {
        try {
            client.close().await(30, TimeUnit.SECONDS);
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("closing Vert.x: " + e, e);
        }
    }
}
