package dev.vtdb.bench.sql;

import dev.vtdb.bench.Servers;
import dev.vtdb.bench.Workloads;
import dev.vtdb.mysql.MySql;
import dev.vtdb.mysql.MySqlOptions;
import dev.vtdb.postgres.PgOptions;
import dev.vtdb.postgres.Postgres;
import java.time.Duration;

/**
 * Creates SQL peers by the name used in the benchmarks' {@code @Param("peer")}.
 *
 * <p>{@code vtdb} is one of the peers, measured side by side with the others; see {@link
 * #postgres} and {@link #mysql}, and {@code "vtdb"} to the {@code peer} parameter lists of the
 * benchmark classes.
 */
public final class SqlPeers {
    /** Raw HikariCP + JDBC on a fixed pool of platform threads. */
    public static final String JDBC_PLATFORM = "jdbc-platform";

    /** Raw HikariCP + JDBC on the caller's own thread, synchronously: the one-caller reference. */
    public static final String JDBC_DIRECT = "jdbc-direct";

    /** Raw HikariCP + JDBC on one virtual thread per call. */
    public static final String JDBC_VIRTUAL = "jdbc-virtual";

    /** Vert.x reactive client, pooled, no pipelining. */
    public static final String VERTX_POOLED = "vertx-pooled";

    /** Vert.x reactive PostgreSQL client, pipelined connections. */
    public static final String VERTX_PIPELINED = "vertx-pipelined";

    /** Jdbi's JdbiExecutor. */
    public static final String JDBI_EXECUTOR = "jdbi-executor";

    /** vtdb itself: connection-affine workers (virtual threads and one platform thread) over HikariCP, pool 16. */
    public static final String VTDB = "vtdb";

    /**
     * vtdb, its streaming read inside a transaction, where {@code session.stream} reads a cursor
     * (outside one, as peer {@code vtdb} reads, it reads a COPY); {@code PgBulk.streamRead} only.
     */
    public static final String VTDB_CURSOR = "vtdb-cursor";

    private SqlPeers() {}

    /** vtdb's spin wait: default 50 µs; {@code -Dvtdb.bench.spinWaitMicros=0} measures vtdb without it. */
    private static Duration spinWait() {
        return Duration.ofNanos(1000L * Integer.getInteger("vtdb.bench.spinWaitMicros", 50));
    }

    /**
     * Opens a PostgreSQL peer against the local server.
     *
     * @param name one of the constants of this class
     * @return the peer, connected
     * @throws IllegalArgumentException for an unknown name
     */
    public static SqlPeer postgres(String name) {
        return switch (name) {
            case JDBC_PLATFORM -> JdbcPeer.create(Dialect.POSTGRES, false);
            case JDBC_VIRTUAL -> JdbcPeer.create(Dialect.POSTGRES, true);
            case JDBC_DIRECT -> JdbcPeer.direct(Dialect.POSTGRES);
            case VERTX_POOLED -> VertxPeer.postgres(false);
            case VERTX_PIPELINED -> VertxPeer.postgres(true);
            case JDBI_EXECUTOR -> new JdbiPeer(Dialect.POSTGRES);
            case VTDB, VTDB_CURSOR ->
                new VtdbSqlPeer(
                        Postgres.connect(PgOptions.fromDsn(Servers.pgDsn()).toBuilder()
                                .poolSize(16)
                                // the fetch size every peer's streaming read uses
                                .fetchSize(Workloads.FETCH_SIZE)
                                // default 16; -Dvtdb.bench.pipelineLimit=1 measures vtdb without read pipelining
                                .pipelineLimit(Integer.getInteger("vtdb.bench.pipelineLimit", 16))
                                .spinWait(spinWait())
                                .build()),
                        Dialect.POSTGRES,
                        name.equals(VTDB_CURSOR));
            default -> throw new IllegalArgumentException("unknown PostgreSQL peer: " + name);
        };
    }

    /**
     * Opens a MariaDB/MySQL peer against the local server.
     *
     * @param name one of the constants of this class (not {@code vertx-pipelined})
     * @return the peer, connected
     * @throws IllegalArgumentException for an unknown name
     */
    public static SqlPeer mysql(String name) {
        return switch (name) {
            case JDBC_PLATFORM -> JdbcPeer.create(Dialect.MYSQL, false);
            case JDBC_VIRTUAL -> JdbcPeer.create(Dialect.MYSQL, true);
            case JDBC_DIRECT -> JdbcPeer.direct(Dialect.MYSQL);
            case VERTX_POOLED -> VertxPeer.mysql();
            case JDBI_EXECUTOR -> new JdbiPeer(Dialect.MYSQL);
            case VTDB ->
                new VtdbSqlPeer(
                        MySql.connect(MySqlOptions.fromUrl(Servers.mysqlDsn()).toBuilder()
                                .poolSize(16)
                                // the fetch size every peer's streaming read uses
                                .fetchSize(Workloads.FETCH_SIZE)
                                // default 16; -Dvtdb.bench.pipelineLimit=1 measures vtdb without read pipelining
                                .pipelineLimit(Integer.getInteger("vtdb.bench.pipelineLimit", 16))
                                .spinWait(spinWait())
                                .build()),
                        Dialect.MYSQL);
            default -> throw new IllegalArgumentException("unknown MySQL peer: " + name);
        };
    }
}
