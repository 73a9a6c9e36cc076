package dev.vtdb.bench.sql;

/**
 * Creates SQL peers by the name used in the benchmarks' {@code @Param("peer")}.
 *
 * <p><b>VTDB:</b> after the merge, add {@code case "vtdb" -> new VtdbSqlPeer(...)} to {@link
 * #postgres} and {@link #mysql}, and {@code "vtdb"} to the {@code peer} parameter lists of the
 * benchmark classes.
 */
public final class SqlPeers {
    /** Raw HikariCP + JDBC on a fixed pool of platform threads. */
    public static final String JDBC_PLATFORM = "jdbc-platform";

    /** Raw HikariCP + JDBC on one virtual thread per call. */
    public static final String JDBC_VIRTUAL = "jdbc-virtual";

    /** Vert.x reactive client, pooled, no pipelining. */
    public static final String VERTX_POOLED = "vertx-pooled";

    /** Vert.x reactive PostgreSQL client, pipelined connections. */
    public static final String VERTX_PIPELINED = "vertx-pipelined";

    /** Jdbi's JdbiExecutor. */
    public static final String JDBI_EXECUTOR = "jdbi-executor";

    private SqlPeers() {}

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
            case VERTX_POOLED -> VertxPeer.postgres(false);
            case VERTX_PIPELINED -> VertxPeer.postgres(true);
            case JDBI_EXECUTOR -> new JdbiPeer(Dialect.POSTGRES);
            // VTDB: case "vtdb" -> new VtdbSqlPeer(Postgres.connect(Servers.pgDsn()));
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
            case VERTX_POOLED -> VertxPeer.mysql();
            case JDBI_EXECUTOR -> new JdbiPeer(Dialect.MYSQL);
            // VTDB: case "vtdb" -> new VtdbSqlPeer(MySql.connect(Servers.mysqlDsn()));
            default -> throw new IllegalArgumentException("unknown MySQL peer: " + name);
        };
    }
}
