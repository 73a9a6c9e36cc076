package dev.vtdb.postgres;

import com.zaxxer.hikari.HikariConfig;
import dev.vtdb.internal.Engine;
import dev.vtdb.postgres.internal.PgDatabaseImpl;
import dev.vtdb.postgres.internal.PgDriverSupport;
import dev.vtdb.postgres.internal.PgDsn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Entry point for PostgreSQL: {@code asyncpg.create_pool(...)} / {@code asyncpg.connect(...)}.
 *
 * <pre>{@code
 * PgDatabase db = Postgres.connect("postgres://postgres@localhost:5432/postgres");
 * Optional<Row> row = db.fetchRow("select * from girl where id = $1", 1).join();
 * }</pre>
 */
public final class Postgres {
    static {
        // Workers close their first connections concurrently; initialising HikariCP's closed-connection
        // proxy class there would pin their carriers (class initialisation waits pin), so do it here once.
        try {
            Class.forName(
                    "com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection", true, Postgres.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // a different HikariCP version: nothing to warm up
        }
    }

    private Postgres() {}

    /**
     * Opens a pooled database from an asyncpg/libpq DSN.
     *
     * @param dsn e.g. {@code postgres://user:pw@host:5432/db?sslmode=verify-full&connect_timeout=10}
     * @return the database; connections are opened lazily, so an unreachable server is reported
     *     by the first call
     * @throws IllegalArgumentException when the DSN is malformed (password masked in the message)
     */
    public static PgDatabase connect(String dsn) {
        return connect(PgOptions.fromDsn(dsn));
    }

    /**
     * Opens a pooled database from options.
     *
     * @param options the options
     * @return the database
     */
    public static PgDatabase connect(PgOptions options) {
        options = PgDsn.withPassFile(options);
        String server = "postgresql://"
                + options.hosts().stream().map(PgOptions.HostPort::toString).collect(Collectors.joining(",")) + "/"
                + PgDsn.databaseOf(options);
        Engine engine = Engine.start(new Engine.Config(
                "vtdb-pg",
                hikari(options),
                new PgDriverSupport(server),
                options.poolSize(),
                options.queueBound(),
                options.commandTimeout(),
                options.closeTimeout(),
                java.time.Duration.ofSeconds(2),
                options.callbackExecutor(),
                options.fetchSize()));
        return new PgDatabaseImpl(engine, options, options.commandTimeout());
    }

    /**
     * Opens a database backed by a single connection, like {@code asyncpg.connect()}: same API,
     * calls run one at a time in order.
     *
     * @param dsn the DSN
     * @return the database
     */
    public static PgDatabase connectOne(String dsn) {
        return connectOne(PgOptions.fromDsn(dsn));
    }

    /**
     * Opens a database backed by a single connection.
     *
     * @param options the options (pool size is forced to 1)
     * @return the database
     */
    public static PgDatabase connectOne(PgOptions options) {
        return connect(options.toBuilder().poolSize(1).build());
    }

    static HikariConfig hikari(PgOptions o) {
        HikariConfig h = new HikariConfig();
        String hosts = o.hosts().stream().map(PgOptions.HostPort::toString).collect(Collectors.joining(","));
        h.setJdbcUrl("jdbc:postgresql://" + hosts + "/"
                + URLEncoder.encode(PgDsn.databaseOf(o), StandardCharsets.UTF_8).replace("+", "%20"));
        h.setUsername(o.user());
        if (o.password() != null) {
            h.setPassword(o.password());
        }
        h.setConnectionTimeout(Math.max(250, o.connectTimeout().toMillis()));
        h.addDataSourceProperty(
                "connectTimeout", String.valueOf(Math.max(1, o.connectTimeout().toSeconds())));
        h.addDataSourceProperty("ApplicationName", o.applicationName());
        h.addDataSourceProperty("sslmode", o.sslMode().libpqName());
        if (o.sslRootCert() != null) {
            h.addDataSourceProperty("sslrootcert", o.sslRootCert());
        }
        if (o.serverOptions() != null) {
            h.addDataSourceProperty("options", o.serverOptions());
        }
        if (o.targetSessionAttrs() != null) {
            h.addDataSourceProperty("targetServerType", PgOptions.Builder.targetServerType(o.targetSessionAttrs()));
        }
        h.addDataSourceProperty("reWriteBatchedInserts", "true");
        h.addDataSourceProperty("logServerErrorDetail", "false");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        if (o.pgBouncerTransactionMode() || o.statementCacheSize() == 0) {
            h.addDataSourceProperty("prepareThreshold", "0");
            h.addDataSourceProperty("preparedStatementCacheQueries", "0");
        } else {
            h.addDataSourceProperty("preparedStatementCacheQueries", String.valueOf(o.statementCacheSize()));
        }
        o.driverProperties().forEach(h::addDataSourceProperty);
        return h;
    }
}
