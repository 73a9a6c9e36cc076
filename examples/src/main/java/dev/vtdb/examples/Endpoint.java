package dev.vtdb.examples;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where one server of the walkthrough is: its URL (which may hold a password) and how it was
 * found. {@link #toString()} never shows the password.
 *
 * @param kind which database
 * @param url the URL, e.g. {@code postgres://postgres@127.0.0.1:5432/test}
 * @param origin how it was found, as printed: {@code given by --pg-url} (a flag), {@code from
 *     VTDB_PG_URL} (the environment), {@code given} (by code), {@code local server on the default
 *     port}, or {@code embedded ...} naming the library that started it
 */
public record Endpoint(Kind kind, String url, String origin) {

    /** The three kinds of server. */
    public enum Kind {
        /** PostgreSQL. */
        POSTGRES("PostgreSQL", "--pg-url", "VTDB_PG_URL", 5432, "postgres://postgres@127.0.0.1:5432/test"),
        /** MySQL or MariaDB. */
        MYSQL("MySQL/MariaDB", "--mysql-url", "VTDB_MYSQL_URL", 3306, "mysql://root@127.0.0.1:3306/test"),
        /** Redis. */
        REDIS("Redis", "--redis-url", "VTDB_REDIS_URL", 6379, "redis://127.0.0.1:6379/0");

        final String title;
        final String flag;
        final String env;
        final int defaultPort;
        final String localUrl;

        Kind(String title, String flag, String env, int defaultPort, String localUrl) {
            this.title = title;
            this.flag = flag;
            this.env = env;
            this.defaultPort = defaultPort;
            this.localUrl = localUrl;
        }

        /**
         * Returns the human name of the database.
         *
         * @return e.g. {@code PostgreSQL}
         */
        public String title() {
            return title;
        }
    }

    /** Checks the URL parses. */
    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        URI.create(Objects.requireNonNull(url, "url"));
    }

    private URI uri() {
        return URI.create(url);
    }

    /**
     * Returns the host.
     *
     * @return the host name or address
     */
    public String host() {
        return uri().getHost();
    }

    /**
     * Returns the port, or the kind's default port when the URL has none.
     *
     * @return the port
     */
    public int port() {
        int p = uri().getPort();
        return p < 0 ? kind.defaultPort : p;
    }

    /**
     * Returns the user, or {@code null}.
     *
     * @return the user name
     */
    public String user() {
        String info = uri().getRawUserInfo();
        if (info == null) {
            return null;
        }
        int colon = info.indexOf(':');
        return decode(colon < 0 ? info : info.substring(0, colon));
    }

    /**
     * Returns the password, or {@code null}; never print it.
     *
     * @return the password
     */
    public String password() {
        String info = uri().getRawUserInfo();
        if (info == null || info.indexOf(':') < 0) {
            return null;
        }
        return decode(info.substring(info.indexOf(':') + 1));
    }

    /**
     * Returns the database name (the URL's path without its slash), or {@code null}.
     *
     * @return the database name
     */
    public String database() {
        String path = uri().getPath();
        return path == null || path.length() <= 1 ? null : path.substring(1);
    }

    /**
     * Returns the URL with its password replaced by {@code ***}.
     *
     * @return a URL safe to print
     */
    public String redactedUrl() {
        return redact(url);
    }

    /**
     * Replaces the password of a URL with {@code ***}.
     *
     * @param url any URL
     * @return the URL without its password
     */
    public static String redact(String url) {
        return url.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return kind.title + " at " + redactedUrl() + " (" + origin + ")";
    }
}
