package dev.vtdb.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How tests find a server, in order: (1) the {@code VTDB_PG_URL} / {@code VTDB_MYSQL_URL} /
 * {@code VTDB_REDIS_URL} environment variable (or the same-named system property); (2) a server
 * answering on the default local port; (3) Testcontainers, when a Docker engine is available;
 * otherwise the test fails with a message saying how to start one. Never skipped.
 */
public final class TestServers {
    /** The three kinds of server. */
    public enum Kind {
        /** PostgreSQL. */
        POSTGRES(
                "VTDB_PG_URL",
                "postgres://postgres@127.0.0.1:5432/test",
                5432,
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
                "postgres:15-alpine"),
        /** MySQL or MariaDB. */
        MYSQL(
                "VTDB_MYSQL_URL",
                "mysql://root@127.0.0.1:3306/test",
                3306,
                "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
                "mariadb:10.11"),
        /** Redis. */
        REDIS(
                "VTDB_REDIS_URL",
                "redis://127.0.0.1:6379/0",
                6379,
                "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no",
                "redis:7-alpine");

        final String env;
        final String localUrl;
        final int port;
        final String startCommand;
        final String image;

        Kind(String env, String localUrl, int port, String startCommand, String image) {
            this.env = env;
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
     * Returns the Redis URL ({@code redis://host:port/db}).
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
            return kind.localUrl;
        }
        String fromContainer = Containers.tryStart(kind);
        if (fromContainer != null) {
            return fromContainer;
        }
        throw new AssertionError("No " + kind.name().toLowerCase() + " server for the tests: " + kind.env
                + " is not set, nothing answers on 127.0.0.1:" + kind.port + " and no Docker engine is available for"
                + " Testcontainers. Start one with: " + kind.startCommand + "  (or set " + kind.env + "="
                + kind.localUrl
                + ")");
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
