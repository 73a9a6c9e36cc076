package dev.vtdb.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How tests find a server, in order: (1) the {@code VTDB_PG_URL} / {@code VTDB_MYSQL_URL} /
 * {@code VTDB_REDIS_URL} environment variable (or the same-named system property); (2) a server
 * answering on the default local port; (3) Testcontainers, when a Docker engine is available;
 * otherwise the test fails with a message saying how to start one. Never skipped.
 *
 * <p>The local servers are reached with {@link #CANARY_PASSWORD}: PostgreSQL (trust auth) gets it
 * in the URL and ignores it; on MariaDB/MySQL and Redis the test kit creates (idempotently) the
 * user {@value #CANARY_USER} with that password. So every integration test passes the canary
 * through vtdb's DSN parsing, options, {@code toString()}, error messages and logs, and {@link
 * SecretLeakCheck} fails any class where it shows up. A URL given in {@code VTDB_*_URL} or
 * started by Testcontainers is used as given: then the canary covers only the tests that use it
 * explicitly ({@code PgSecretsIT}, {@code MySqlConnectIT}, {@code RedisFaultsIT}).
 */
public final class TestServers {
    /**
     * The password every test connection to a local server carries; it must never appear in a log
     * line, an exception message, a {@code toString()} or a thread name.
     */
    public static final String CANARY_PASSWORD = "vtdb-canary-Pw-7c1e";

    /** The MariaDB/MySQL and Redis user that logs in with {@link #CANARY_PASSWORD}. */
    public static final String CANARY_USER = "vtdb_canary";

    /** The three kinds of server. */
    public enum Kind {
        /** PostgreSQL. */
        POSTGRES(
                "VTDB_PG_URL",
                "postgres://postgres@127.0.0.1:5432/test",
                "postgres://postgres:" + CANARY_PASSWORD + "@127.0.0.1:5432/test",
                5432,
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
                "postgres:15-alpine"),
        /** MySQL or MariaDB. */
        MYSQL(
                "VTDB_MYSQL_URL",
                "mysql://root@127.0.0.1:3306/test",
                "mysql://" + CANARY_USER + ":" + CANARY_PASSWORD + "@127.0.0.1:3306/test",
                3306,
                "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
                "mariadb:10.11"),
        /** Redis. */
        REDIS(
                "VTDB_REDIS_URL",
                "redis://127.0.0.1:6379/0",
                "redis://" + CANARY_USER + ":" + CANARY_PASSWORD + "@127.0.0.1:6379/0",
                6379,
                "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no",
                "redis:7-alpine");

        final String env;
        final String adminUrl;
        final String localUrl;
        final int port;
        final String startCommand;
        final String image;

        Kind(String env, String adminUrl, String localUrl, int port, String startCommand, String image) {
            this.env = env;
            this.adminUrl = adminUrl;
            this.localUrl = localUrl;
            this.port = port;
            this.startCommand = startCommand;
            this.image = image;
        }
    }

    private static final Map<Kind, String> RESOLVED = new ConcurrentHashMap<>();

    private TestServers() {}

    /**
     * Returns the PostgreSQL URL ({@code postgres://user[:pw]@host:port/db}).
     *
     * @return the URL
     */
    public static String postgresUrl() {
        return url(Kind.POSTGRES);
    }

    /**
     * Returns the MySQL/MariaDB URL ({@code mysql://user[:pw]@host:port/db}).
     *
     * @return the URL
     */
    public static String mysqlUrl() {
        return url(Kind.MYSQL);
    }

    /**
     * Returns the Redis URL ({@code redis://[user:pw@]host:port/db}).
     *
     * @return the URL
     */
    public static String redisUrl() {
        return url(Kind.REDIS);
    }

    /**
     * Resolves a server, failing with instructions when none can be had.
     *
     * @param kind which server
     * @return its URL
     */
    public static String url(Kind kind) {
        return RESOLVED.computeIfAbsent(kind, TestServers::resolve);
    }

    private static String resolve(Kind kind) {
        String configured = System.getenv(kind.env);
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty(kind.env);
        }
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (answers("127.0.0.1", kind.port)) {
            switch (kind) {
                case POSTGRES -> {} // trust auth: the password is accepted and ignored
                case MYSQL -> createMySqlCanaryUser("127.0.0.1", kind.port);
                case REDIS -> createRedisCanaryUser("127.0.0.1", kind.port);
            }
            return kind.localUrl;
        }
        String fromContainer = Containers.tryStart(kind);
        if (fromContainer != null) {
            return fromContainer;
        }
        throw new AssertionError("No " + kind.name().toLowerCase() + " server for the tests: " + kind.env
                + " is not set, nothing answers on 127.0.0.1:" + kind.port + " and no Docker engine is available for"
                + " Testcontainers. Start one with: " + kind.startCommand + "  (or set " + kind.env + "="
                + kind.adminUrl
                + ")");
    }

    /**
     * Creates (or resets) the user {@value #CANARY_USER} with {@link #CANARY_PASSWORD} on a
     * MariaDB/MySQL server whose {@code root} has an empty password, for {@code 127.0.0.1} and
     * {@code localhost}: all privileges on {@code test} and on the {@code vtdb_*} databases the
     * examples create, plus PROCESS (the tests read {@code information_schema.processlist} and
     * {@code innodb_trx}). A connection may KILL its own user's threads without more. Needs the
     * MySQL JDBC driver on the class path (every module that tests against MySQL has it).
     *
     * @param host the server's host
     * @param port the server's port
     * @throws AssertionError when the server refuses, with the statement's error (password masked)
     */
    public static void createMySqlCanaryUser(String host, int port) {
        String jdbc = "jdbc:mysql://" + host + ":" + port + "/?connectTimeout=5000&socketTimeout=30000";
        try (Connection c = DriverManager.getConnection(jdbc, "root", "");
                Statement s = c.createStatement()) {
            for (String h : List.of("127.0.0.1", "localhost")) {
                String user = "'" + CANARY_USER + "'@'" + h + "'";
                s.execute("CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY '" + CANARY_PASSWORD + "'");
                s.execute("ALTER USER " + user + " IDENTIFIED BY '" + CANARY_PASSWORD + "'");
                s.execute("GRANT ALL PRIVILEGES ON `test`.* TO " + user);
                s.execute("GRANT ALL PRIVILEGES ON `vtdb\\_%`.* TO " + user);
                s.execute("GRANT PROCESS ON *.* TO " + user);
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot create the MySQL test user " + CANARY_USER + " as root on " + host + ":"
                    + port + " (SQLSTATE " + e.getSQLState() + ", code " + e.getErrorCode() + "): "
                    + String.valueOf(e.getMessage()).replace(CANARY_PASSWORD, "***"));
        }
    }

    /**
     * Creates (or updates) the ACL user {@value #CANARY_USER} with {@link #CANARY_PASSWORD} and every
     * permission on a Redis 6.2+ server whose {@code default} user needs no password. Speaks RESP
     * on a plain socket (the test kit has no Redis client).
     *
     * @param host the server's host
     * @param port the server's port
     * @throws AssertionError when the server refuses
     */
    public static void createRedisCanaryUser(String host, int port) {
        List<String> command = List.of("ACL", "SETUSER", CANARY_USER, "on", ">" + CANARY_PASSWORD, "~*", "&*", "+@all");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            StringBuilder resp = new StringBuilder("*").append(command.size()).append("\r\n");
            for (String arg : command) {
                resp.append('$')
                        .append(arg.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n")
                        .append(arg)
                        .append("\r\n");
            }
            out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = readLine(s.getInputStream());
            if (!reply.equals("+OK")) {
                throw new AssertionError("cannot create the Redis test user " + CANARY_USER + " on " + host + ":"
                        + port + " (needs Redis 6.2+ with a password-less default user): "
                        + reply.replace(CANARY_PASSWORD, "***"));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot create the Redis test user on " + host + ":" + port + ": " + e, e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * Tells whether a TCP server answers.
     *
     * @param host the host
     * @param port the port
     * @return {@code true} when a connection could be opened within 500 ms
     */
    public static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the host of a server URL.
     *
     * @param url the URL
     * @return its host
     */
    public static String host(String url) {
        return URI.create(url.replace("+pymysql", "")).getHost();
    }

    /**
     * Returns the port of a server URL.
     *
     * @param url the URL
     * @return its port
     */
    public static int port(String url) {
        return URI.create(url.replace("+pymysql", "")).getPort();
    }
}
