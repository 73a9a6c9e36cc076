package dev.vtdb.postgres;

import com.zaxxer.hikari.HikariConfig;
import dev.vtdb.internal.Engine;
import dev.vtdb.postgres.internal.PgDatabaseImpl;
import dev.vtdb.postgres.internal.PgDriverSupport;
import dev.vtdb.postgres.internal.PgDsn;
import dev.vtdb.postgres.internal.SpinWaitSocketFactory;
import dev.vtdb.postgres.internal.SslKeyPassword;
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
 *
 * <h2>Type mapping</h2>
 *
 * <table>
 *   <caption>PostgreSQL types and the Java values read and bound</caption>
 *   <tr><th>PostgreSQL</th><th>read as</th><th>bind from</th></tr>
 *   <tr><td>smallint, integer</td><td>{@code Integer}</td><td>{@code Short}, {@code Integer}</td></tr>
 *   <tr><td>bigint</td><td>{@code Long}</td><td>{@code Long}</td></tr>
 *   <tr><td>numeric</td><td>{@code BigDecimal}</td><td>{@code BigDecimal}, {@code BigInteger}</td></tr>
 *   <tr><td>real, double precision</td><td>{@code Float}, {@code Double}</td><td>same</td></tr>
 *   <tr><td>boolean</td><td>{@code Boolean}</td><td>{@code Boolean}</td></tr>
 *   <tr><td>text, varchar, char(n)</td><td>{@code String} (char(n) padded)</td><td>{@code String},
 *       {@code Character}</td></tr>
 *   <tr><td>bytea</td><td>{@code byte[]}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>date, time, timestamp</td><td>{@code LocalDate}, {@code LocalTime}, {@code
 *       LocalDateTime}</td><td>same</td></tr>
 *   <tr><td>timestamptz</td><td>{@code OffsetDateTime} (UTC)</td><td>{@code OffsetDateTime},
 *       {@code Instant}, {@code ZonedDateTime}</td></tr>
 *   <tr><td>timetz</td><td>{@code OffsetTime}</td><td>{@code OffsetTime}</td></tr>
 *   <tr><td>interval</td><td>{@code Duration}: a month counts 30 days, a year 12 months (as
 *       asyncpg's timedelta)</td><td>{@code Duration}, {@code Period}</td></tr>
 *   <tr><td>uuid</td><td>{@code UUID}</td><td>{@code UUID}</td></tr>
 *   <tr><td>json, jsonb</td><td>{@code String}: the JSON text (parse it with your JSON
 *       library)</td><td>a {@code String} with a cast: {@code $1::jsonb}</td></tr>
 *   <tr><td>enums</td><td>{@code String} (the label)</td><td>a Java enum (sent untyped, so the
 *       server casts its name), or a {@code String} with a cast: {@code $1::mood}</td></tr>
 *   <tr><td>arrays</td><td>unmodifiable {@code List} (nested for several dimensions)</td><td>a
 *       {@code Collection} or Java array; the element type is inferred from the elements ({@code
 *       text} when all are null; cast for another: {@code $1::int[]})</td></tr>
 *   <tr><td>other types (inet, money, ranges...)</td><td>{@code String}</td><td>a {@code String}
 *       with a cast</td></tr>
 * </table>
 *
 * <p>NULL reads as {@code null} and {@code null} binds as an untyped NULL everywhere.
 *
 * <h2>Prepared statements and PgBouncer</h2>
 *
 * <p>pgjdbc prepares a statement on the server after it has run five times on a connection and
 * keeps up to {@link PgOptions#statementCacheSize()} of them per connection. Behind PgBouncer in
 * transaction-pooling mode consecutive statements may run on different server connections, where
 * such a prepared statement does not exist (or has another definition): set {@link
 * PgOptions.Builder#pgBouncerTransactionMode(boolean)} and every statement is sent unnamed
 * ({@code prepareThreshold=0}), so nothing is left on the server.
 *
 * <h2>TLS</h2>
 *
 * <p>Use {@code sslmode=verify-full} in production with {@code sslrootcert=/path/to/ca.pem}
 * (DSN) or {@link PgOptions.Builder#sslRootCert(String)}: the server's certificate must be signed
 * by that CA and name the host connected to. {@code require} encrypts without checking who
 * answers.
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
     * <p>Options are taken as given: the {@code PG*} environment variables fill in only what a DSN
     * leaves out ({@link PgOptions#fromDsn}), not options built with the builder. Like libpq, a
     * missing password is still looked up in {@code PGPASSFILE} or {@code $HOME/.pgpass}.
     *
     * @param options the options
     * @return the database
     */
    public static PgDatabase connect(PgOptions options) {
        options = PgDsn.withPassFile(options);
        String server = "postgresql://"
                + options.hosts().stream().map(PgOptions.HostPort::toString).collect(Collectors.joining(",")) + "/"
                + PgDsn.databaseOf(options);
        HikariConfig hikari = hikari(options);
        String sslPasswordRef = hikari.getDataSourceProperties().getProperty(SslKeyPassword.REFERENCE);
        Engine engine;
        try {
            engine = start(options, server, hikari);
        } catch (RuntimeException | Error e) {
            if (sslPasswordRef != null) {
                SslKeyPassword.forget(sslPasswordRef);
            }
            throw e;
        }
        if (sslPasswordRef != null) {
            engine.closeFuture().whenComplete((v, e) -> SslKeyPassword.forget(sslPasswordRef));
        }
        return new PgDatabaseImpl(engine, options, options.commandTimeout());
    }

    private static Engine start(PgOptions options, String server, HikariConfig hikari) {
        return Engine.start(new Engine.Config(
                "vtdb-pg",
                hikari,
                new PgDriverSupport(server, options.pipelineLimit()),
                options.poolSize(),
                options.queueBound(),
                options.commandTimeout(),
                options.closeTimeout(),
                java.time.Duration.ofSeconds(2),
                options.callbackExecutor(),
                options.fetchSize(),
                options.spinWait()));
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
        // a lone call's worker polls for the reply before blocking (PgOptions.Builder#spinWait);
        // a socketFactory in the driver properties replaces it
        h.addDataSourceProperty("socketFactory", SpinWaitSocketFactory.class.getName());
        if (o.pgBouncerTransactionMode() || o.statementCacheSize() == 0) {
            h.addDataSourceProperty("prepareThreshold", "0");
            h.addDataSourceProperty("preparedStatementCacheQueries", "0");
        } else {
            h.addDataSourceProperty("preparedStatementCacheQueries", String.valueOf(o.statementCacheSize()));
        }
        o.driverProperties().forEach((name, value) -> {
            if (name.equals("sslpassword")) {
                // not a property HikariCP would log: pgjdbc asks a callback for it
                h.addDataSourceProperty("sslpasswordcallback", SslKeyPassword.class.getName());
                h.addDataSourceProperty(SslKeyPassword.REFERENCE, SslKeyPassword.remember(value));
            } else {
                h.addDataSourceProperty(name, value);
            }
        });
        return h;
    }
}
