package dev.vtdb.mysql;

import com.zaxxer.hikari.HikariConfig;
import dev.vtdb.internal.Engine;
import dev.vtdb.mysql.internal.MySqlDatabaseImpl;
import dev.vtdb.mysql.internal.MySqlDriverSupport;
import dev.vtdb.mysql.internal.MySqlSpinWaitSocketFactory;
import dev.vtdb.mysql.internal.PemTrustStore;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Entry point for MySQL and MariaDB: aiomysql.sa's {@code create_engine(...)}.
 *
 * <pre>{@code
 * MySqlDatabase db = MySql.connect("mysql://root:pw@localhost:3306/test?connect_timeout=10");
 * db.withConnection(conn -> {                                  // async with engine.acquire() as conn:
 *     try (Cursor result = conn.cursor("SELECT * FROM girl")) { //   result = await conn.execute(...)
 *         return result.fetchOne().map(Row::toMap);             //   dict(await result.fetchone())
 *     }
 * }).join();
 * db.close();                                                   // engine.close()
 * db.awaitClosed().join();                                      // await engine.wait_closed()
 * }</pre>
 *
 * The same driver (MySQL Connector/J) serves MySQL 8/9 and MariaDB 10.x/11.x; see {@link
 * MySqlOptions} for the connection defaults.
 *
 * <p><b>Results.</b> {@code DATETIME} reads as {@code LocalDateTime}, {@code TIMESTAMP} as an
 * {@code OffsetDateTime} in UTC, {@code TIME} as {@code LocalTime} when it is a time of day and as
 * its MySQL text ({@code "-25:00:01"}, {@code "838:59:59"}) when it is an interval outside one
 * (vtdb decodes it: Connector/J's own decoding drops or garbles the sign of negative values). After
 * an INSERT or REPLACE,
 * {@code ExecResult.lastInsertId()} is {@code LAST_INSERT_ID()} (the first id of a multi-row
 * insert) and {@code generatedKeys()} holds one id per inserted row, as Connector/J reports them
 * ({@code BigInteger}); for {@code ON DUPLICATE KEY UPDATE} the row count is MySQL's (1 per
 * inserted row, 2 per updated row) and only {@code lastInsertId()} of an inserted row is
 * meaningful. A statement past its deadline is stopped with {@code KILL QUERY} (Connector/J's
 * {@code Statement.cancel()}); the connection stays in the pool.
 *
 * <p><b>MariaDB.</b> MariaDB introduces itself as {@code 5.5.5-10.x-MariaDB}, so Connector/J
 * assumes a server without fractional seconds; vtdb then sends temporal parameters that have
 * fractions as text, keeping their microseconds. A killed connection is reported as {@link
 * dev.vtdb.ConnectionLostException} on both servers.
 */
public final class MySql {
    private MySql() {}

    /**
     * Opens a pooled database from a URL.
     *
     * @param url {@code mysql://user:pw@host:3306/db?connect_timeout=10}, SQLAlchemy's {@code
     *     mysql+pymysql://...} or {@code mariadb://...}; see {@link MySqlOptions#fromUrl(String)}
     * @return the database; connections are opened lazily, so an unreachable server is reported
     *     by the first call
     * @throws IllegalArgumentException when the URL is malformed (password masked in the message)
     */
    public static MySqlDatabase connect(String url) {
        return connect(MySqlOptions.fromUrl(url));
    }

    /**
     * Opens a pooled database from options.
     *
     * @param options the options
     * @return the database; connections are opened lazily, so an unreachable server is reported
     *     by the first call
     */
    public static MySqlDatabase connect(MySqlOptions options) {
        String server = "mysql://" + options.hostPort() + "/" + (options.database() == null ? "" : options.database());
        Engine engine = Engine.start(new Engine.Config(
                "vtdb-mysql",
                hikari(options),
                new MySqlDriverSupport(server, options.timeZone(), options.pipelineLimit()),
                options.poolSize(),
                options.queueBound(),
                options.commandTimeout(),
                options.closeTimeout(),
                Duration.ofSeconds(2),
                options.callbackExecutor(),
                options.fetchSize(),
                options.spinWait()));
        return new MySqlDatabaseImpl(engine, options, options.commandTimeout());
    }

    static HikariConfig hikari(MySqlOptions o) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl("jdbc:mysql://" + o.hostPort() + "/" + (o.database() == null ? "" : o.database()));
        h.setUsername(o.user());
        if (o.password() != null) {
            h.setPassword(o.password());
        }
        h.setConnectionTimeout(Math.max(250, o.connectTimeout().toMillis()));
        h.addDataSourceProperty(
                "connectTimeout", String.valueOf(o.connectTimeout().toMillis()));
        h.addDataSourceProperty("tcpKeepAlive", "true");
        // a lone call's worker polls for the reply before blocking (MySqlOptions.Builder#spinWait);
        // a socketFactory in the driver properties replaces it
        h.addDataSourceProperty("socketFactory", MySqlSpinWaitSocketFactory.class.getName());
        // character set: utf8mb4 by default, so 4-byte characters round-trip
        h.addDataSourceProperty("characterEncoding", MySqlOptions.javaEncoding(o.charset()));
        String collation = o.collation();
        String charset = o.charset().toLowerCase(java.util.Locale.ROOT);
        if (collation == null && (charset.equals("utf8mb3") || charset.equals("utf8"))) {
            collation = "utf8mb3_general_ci"; // UTF-8 alone would select utf8mb4
        }
        if (collation != null) {
            h.addDataSourceProperty("connectionCollation", collation);
        }
        // time zone: the session's time_zone is the configured zone, instants are preserved
        h.addDataSourceProperty("connectionTimeZone", zoneProperty(o.timeZone()));
        h.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        h.addDataSourceProperty("preserveInstants", "true");
        // security
        h.addDataSourceProperty("allowLoadLocalInfile", "false");
        h.addDataSourceProperty("allowUrlInLocalInfile", "false");
        h.addDataSourceProperty("allowMultiQueries", "false");
        h.addDataSourceProperty("allowPublicKeyRetrieval", String.valueOf(o.allowPublicKeyRetrieval()));
        h.addDataSourceProperty("sslMode", o.sslMode().name());
        if (o.trustStore() != null) {
            String ts = o.trustStore();
            String type = o.trustStoreType();
            String password = o.trustStorePassword();
            java.nio.file.Path file = java.nio.file.Path.of(ts.startsWith("file:") ? ts.substring(5) : ts);
            if ("PEM".equalsIgnoreCase(type) || (type == null && !ts.contains("://") && PemTrustStore.isPem(file))) {
                // PyMySQL's ssl_ca: CA certificates in PEM, which Connector/J cannot read itself
                PemTrustStore.Converted store = PemTrustStore.convert(file);
                ts = store.path().toString();
                type = "PKCS12";
                password = store.password();
            }
            h.addDataSourceProperty("trustCertificateKeyStoreUrl", ts.contains(":") ? ts : "file:" + ts);
            if (type != null) {
                h.addDataSourceProperty("trustCertificateKeyStoreType", type);
            }
            if (password != null) {
                h.addDataSourceProperty("trustCertificateKeyStorePassword", password);
            }
        }
        // statements: server-side prepared and cached, cursors for streams, batched inserts rewritten
        h.addDataSourceProperty("useServerPrepStmts", "true");
        h.addDataSourceProperty("cachePrepStmts", String.valueOf(o.statementCacheSize() > 0));
        h.addDataSourceProperty("prepStmtCacheSize", String.valueOf(Math.max(1, o.statementCacheSize())));
        h.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        h.addDataSourceProperty("useCursorFetch", "true");
        h.addDataSourceProperty("rewriteBatchedStatements", "true");
        // fewer round trips: session state tracked locally, server variables cached
        h.addDataSourceProperty("useLocalSessionState", "true");
        h.addDataSourceProperty("cacheServerConfiguration", "true");
        h.addDataSourceProperty("maintainTimeStats", "false");
        h.addDataSourceProperty(
                "connectionAttributes", "program_name:" + o.applicationName().replace(",", " "));
        o.driverProperties().forEach(h::addDataSourceProperty);
        return h;
    }

    private static String zoneProperty(ZoneId zone) {
        ZoneId z = zone.normalized();
        if (z.equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        return z.getId();
    }
}
