package dev.vtdb.bench;

/**
 * Where the benchmarks find their servers and how big the pools are: the same for every peer.
 *
 * <p>Defaults are the local servers of the development machine; {@code VTDB_PG_URL}-style
 * environment variables are not read here on purpose, so a benchmark never runs against a
 * server by accident. Override with system properties ({@code -Dvtdb.bench.pg.host=...}).
 */
public final class Servers {
    /** Connections per pool, for every peer. */
    public static final int POOL_SIZE = 16;

    /**
     * Platform threads of the "fixed pool of platform threads" peers: Tomcat's default {@code
     * maxThreads}, i.e. what a typical blocking Java service runs its requests on.
     */
    public static final int PLATFORM_THREADS = 200;

    /** Rows in the {@code world} table (TechEmpower). */
    public static final int WORLD_ROWS = 10_000;

    /** Keys the Redis benchmarks read and write ({@code vtdb-bench:key:0..9999}). */
    public static final int REDIS_KEYS = 10_000;

    /** Prefix of every Redis key the benchmarks touch; nothing else is read or written. */
    public static final String REDIS_PREFIX = "vtdb-bench:key:";

    /** PostgreSQL host. */
    public static final String PG_HOST = System.getProperty("vtdb.bench.pg.host", "127.0.0.1");

    /** PostgreSQL port. */
    public static final int PG_PORT = Integer.getInteger("vtdb.bench.pg.port", 5432);

    /** MariaDB/MySQL host. */
    public static final String MY_HOST = System.getProperty("vtdb.bench.mysql.host", "127.0.0.1");

    /** MariaDB/MySQL port. */
    public static final int MY_PORT = Integer.getInteger("vtdb.bench.mysql.port", 3306);

    /** Redis host. */
    public static final String REDIS_HOST = System.getProperty("vtdb.bench.redis.host", "127.0.0.1");

    /** Redis port. */
    public static final int REDIS_PORT = Integer.getInteger("vtdb.bench.redis.port", 6379);

    /** Database (schema) name on both SQL servers. */
    public static final String DATABASE = "test";

    /** PostgreSQL user (trust authentication, no password). */
    public static final String PG_USER = "postgres";

    /** MariaDB user (no password). */
    public static final String MY_USER = "root";

    private Servers() {}

    /**
     * Returns the pgjdbc URL every JDBC-based PostgreSQL peer uses.
     *
     * @return the JDBC URL
     */
    public static String pgJdbcUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + DATABASE + "?reWriteBatchedInserts=true";
    }

    /**
     * Returns the Connector/J URL every JDBC-based MySQL peer uses (HikariCP's recommended
     * statement-cache settings).
     *
     * @return the JDBC URL
     */
    public static String mysqlJdbcUrl() {
        return "jdbc:mysql://" + MY_HOST + ":" + MY_PORT + "/" + DATABASE
                + "?useSSL=false&allowPublicKeyRetrieval=true&cachePrepStmts=true&useServerPrepStmts=true"
                + "&prepStmtCacheSize=250&prepStmtCacheSqlLimit=2048&rewriteBatchedStatements=true";
    }

    /**
     * Returns the vtdb-style DSN of the PostgreSQL server, for the vtdb rows.
     *
     * @return {@code postgres://user@host:port/db}
     */
    public static String pgDsn() {
        return "postgres://" + PG_USER + "@" + PG_HOST + ":" + PG_PORT + "/" + DATABASE;
    }

    /**
     * Returns the vtdb-style DSN of the MariaDB server, for the vtdb rows.
     *
     * @return {@code mysql://user@host:port/db}
     */
    public static String mysqlDsn() {
        return "mysql://" + MY_USER + "@" + MY_HOST + ":" + MY_PORT + "/" + DATABASE;
    }

    /**
     * Returns the vtdb-style URL of the Redis server, for the vtdb rows.
     *
     * @return {@code redis://host:port/0}
     */
    public static String redisUrl() {
        return "redis://" + REDIS_HOST + ":" + REDIS_PORT + "/0";
    }
}
