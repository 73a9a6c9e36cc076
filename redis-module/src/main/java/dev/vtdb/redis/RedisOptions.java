package dev.vtdb.redis;

import dev.vtdb.internal.Secrets;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * Immutable settings of a {@link RedisClient}: where the server is, how to log in, and how calls
 * are run (pipelining workers, dedicated connections, queue bound, timeouts). Built once with
 * {@link #builder()} or parsed with {@link #fromUrl(String)}, validated in {@link Builder#build()},
 * never changed after {@code connect()}. {@link #toString()} never shows the password.
 */
public final class RedisOptions {
    private final String host;
    private final int port;
    private final int database;
    private final String user;
    private final String password;
    private final boolean ssl;
    private final SSLSocketFactory sslSocketFactory;
    private final String clientName;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration timeout;
    private final int workers;
    private final int maxBatch;
    private final int poolSize;
    private final Duration poolMaxWait;
    private final int queueBound;
    private final int maxTransactionAttempts;

    private RedisOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.ssl = b.ssl;
        this.sslSocketFactory = b.sslSocketFactory;
        this.clientName = b.clientName;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.timeout = b.timeout;
        this.workers = b.workers;
        this.maxBatch = b.maxBatch;
        this.poolSize = b.poolSize;
        this.poolMaxWait = b.poolMaxWait;
        this.queueBound = b.queueBound;
        this.maxTransactionAttempts = b.maxTransactionAttempts;
    }

    /**
     * Starts a builder with the defaults (127.0.0.1:6379, database 0, 2 workers, 8 dedicated
     * connections, 10 s call timeout).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code redis://[user:password@]host[:port][/database]} or {@code rediss://...} (TLS).
     *
     * @param url the URL; user and password may be percent-encoded
     * @return the options, with defaults for everything the URL does not say
     * @throws IllegalArgumentException when the URL is malformed (the message masks the password)
     */
    public static RedisOptions fromUrl(String url) {
        return builder().url(url).build();
    }

    /**
     * Returns a builder holding these options, to derive changed ones.
     *
     * @return a builder initialised from this
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.database = database;
        b.user = user;
        b.password = password;
        b.ssl = ssl;
        b.sslSocketFactory = sslSocketFactory;
        b.clientName = clientName;
        b.connectTimeout = connectTimeout;
        b.socketTimeout = socketTimeout;
        b.timeout = timeout;
        b.workers = workers;
        b.maxBatch = maxBatch;
        b.poolSize = poolSize;
        b.poolMaxWait = poolMaxWait;
        b.queueBound = queueBound;
        b.maxTransactionAttempts = maxTransactionAttempts;
        return b;
    }

    /**
     * Returns the server host.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * Returns the server port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the logical database selected on every connection.
     *
     * @return the database index
     */
    public int database() {
        return database;
    }

    /**
     * Returns the ACL user.
     *
     * @return the user, or {@code null} for the default user
     */
    public String user() {
        return user;
    }

    /**
     * Returns the password (never printed by {@link #toString()}).
     *
     * @return the password, or {@code null}
     */
    public String password() {
        return password;
    }

    /**
     * Tells whether connections use TLS ({@code rediss://}).
     *
     * @return {@code true} for TLS
     */
    public boolean ssl() {
        return ssl;
    }

    /**
     * Returns the factory of TLS sockets, or {@code null} for the JVM's default (its trust store).
     *
     * @return the factory, or {@code null}
     */
    public SSLSocketFactory sslSocketFactory() {
        return sslSocketFactory;
    }

    /**
     * Returns the name set with {@code CLIENT SETNAME} on every connection.
     *
     * @return the client name, or {@code null}
     */
    public String clientName() {
        return clientName;
    }

    /**
     * Returns the TCP connect timeout; {@code Redis.connect} also bounds its first connection's
     * handshake (TLS, {@code AUTH}, {@code SELECT}, {@code PING}) by it.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns the socket read timeout, a safety net under the per-call deadline; a read that
     * times out discards the connection.
     *
     * @return the socket timeout
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /**
     * Returns each call's default deadline (queueing, sending and reading the reply).
     *
     * @return the call timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns how many pipelining workers (each owning one connection) run commands.
     *
     * @return the number of workers
     */
    public int workers() {
        return workers;
    }

    /**
     * Returns the most commands a worker writes in one pipeline flush.
     *
     * @return the batch size
     */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Returns how many dedicated connections (blocking pops, transactions, scans, pub/sub) may be
     * open at once, on top of the workers' connections.
     *
     * @return the dedicated pool size
     */
    public int poolSize() {
        return poolSize;
    }

    /**
     * Returns how long a dedicated call waits for a free connection before failing with
     * {@link dev.vtdb.PoolExhaustedException}.
     *
     * @return the bounded wait
     */
    public Duration poolMaxWait() {
        return poolMaxWait;
    }

    /**
     * Returns the request queue's capacity; past it a call fails at once with
     * {@link dev.vtdb.PoolExhaustedException}. It also bounds the dedicated calls (blocking pops,
     * transactions, scan pages) in flight at once.
     *
     * @return the bound
     */
    public int queueBound() {
        return queueBound;
    }

    /**
     * Returns how many times a transaction body runs when WATCHed keys keep changing.
     *
     * @return the attempt bound
     */
    public int maxTransactionAttempts() {
        return maxTransactionAttempts;
    }

    /**
     * Returns {@code host:port}.
     *
     * @return the address
     */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "RedisOptions[" + (ssl ? "rediss://" : "redis://") + (user == null ? "" : user)
                + (password == null ? "" : ":***") + (user == null && password == null ? "" : "@") + address() + "/"
                + database + ", clientName=" + clientName + ", workers=" + workers + ", maxBatch=" + maxBatch
                + ", poolSize=" + poolSize + ", poolMaxWait=" + poolMaxWait.toMillis() + "ms, queueBound=" + queueBound
                + ", timeout=" + timeout.toMillis() + "ms, connectTimeout=" + connectTimeout.toMillis()
                + "ms, socketTimeout=" + socketTimeout.toMillis() + "ms, maxTransactionAttempts="
                + maxTransactionAttempts + (sslSocketFactory == null ? "" : ", sslSocketFactory=custom") + "]";
    }

    /** Mutable builder of {@link RedisOptions}; {@link #build()} validates every value. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6379;
        private int database;
        private String user;
        private String password;
        private boolean ssl;
        private SSLSocketFactory sslSocketFactory;
        private String clientName = "vtdb";
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(10);
        private int workers = 2;
        private int maxBatch = 128;
        private int poolSize = 8;
        private Duration poolMaxWait = Duration.ofSeconds(2);
        private int queueBound = 65_536;
        private int maxTransactionAttempts = 5;

        private Builder() {}

        /**
         * Sets host, port, database, user, password and TLS from a {@code redis://} or
         * {@code rediss://} URL.
         *
         * @param url the URL
         * @return this builder
         * @throws IllegalArgumentException when the URL is malformed (the password is masked)
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("malformed Redis URL " + Secrets.mask(url), null);
            }
            String scheme = uri.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException(
                        "Redis URL must start with redis:// or rediss:// but was " + Secrets.mask(url));
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("Redis URL has no host: " + Secrets.mask(url));
            }
            ssl = "rediss".equals(scheme);
            host = uri.getHost();
            if (uri.getPort() != -1) {
                port = uri.getPort();
            }
            String info = uri.getRawUserInfo();
            if (info != null && !info.isEmpty()) {
                int colon = info.indexOf(':');
                String u = colon < 0 ? info : info.substring(0, colon);
                user = u.isEmpty() ? null : decode(u);
                password = colon < 0 ? null : decode(info.substring(colon + 1));
                if (colon < 0) { // redis://secret@host is the legacy password-only form
                    password = user;
                    user = null;
                }
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                try {
                    database = Integer.parseInt(path.substring(1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "Redis URL database must be a number but was '" + path.substring(1) + "' in "
                                    + Secrets.mask(url),
                            e);
                }
            }
            return this;
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }

        /**
         * Sets the server host.
         *
         * @param host host name or address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the server port.
         *
         * @param port 1..65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets the logical database.
         *
         * @param database 0 or more
         * @return this builder
         */
        public Builder database(int database) {
            this.database = database;
            return this;
        }

        /**
         * Sets the ACL user.
         *
         * @param user the user, or {@code null}
         * @return this builder
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /**
         * Sets the password.
         *
         * @param password the password, or {@code null}
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Turns TLS on or off.
         *
         * @param ssl {@code true} for TLS
         * @return this builder
         */
        public Builder ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        /**
         * Sets the factory of TLS sockets, to trust a private CA without changing the JVM's trust
         * store: {@code SSLContext ctx = SSLContext.getInstance("TLS"); ctx.init(null,
         * trustManagerFactory.getTrustManagers(), null); builder.sslSocketFactory(ctx.getSocketFactory())}.
         * Used when TLS is on ({@code rediss://} or {@link #ssl(boolean)}).
         *
         * @param sslSocketFactory the factory, or {@code null} for the JVM's default
         * @return this builder
         */
        public Builder sslSocketFactory(SSLSocketFactory sslSocketFactory) {
            this.sslSocketFactory = sslSocketFactory;
            return this;
        }

        /**
         * Sets the name given to every connection ({@code CLIENT SETNAME}).
         *
         * @param clientName a name without spaces, or {@code null}
         * @return this builder
         */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /**
         * Sets the TCP connect timeout, which also bounds the handshake of the first connection made
         * by {@code Redis.connect}: a server that accepts but never answers fails the connect after
         * it.
         *
         * @param connectTimeout positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the socket read timeout (a safety net; calls are bounded by {@link #timeout}).
         *
         * @param socketTimeout positive duration
         * @return this builder
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /**
         * Sets each call's default deadline.
         *
         * @param timeout positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets the number of pipelining workers.
         *
         * @param workers 1..64; 2 to 4 is plenty
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Sets the most commands written in one pipeline flush.
         *
         * @param maxBatch 1 or more
         * @return this builder
         */
        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /**
         * Sets the number of dedicated connections.
         *
         * @param poolSize 1 or more
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Sets how long a dedicated call waits for a connection.
         *
         * @param poolMaxWait zero or positive duration
         * @return this builder
         */
        public Builder poolMaxWait(Duration poolMaxWait) {
            this.poolMaxWait = poolMaxWait;
            return this;
        }

        /**
         * Sets the request queue's capacity.
         *
         * @param queueBound 1 or more
         * @return this builder
         */
        public Builder queueBound(int queueBound) {
            this.queueBound = queueBound;
            return this;
        }

        /**
         * Sets how many times a transaction body may run when WATCHed keys change.
         *
         * @param maxTransactionAttempts 1 or more
         * @return this builder
         */
        public Builder maxTransactionAttempts(int maxTransactionAttempts) {
            this.maxTransactionAttempts = maxTransactionAttempts;
            return this;
        }

        /**
         * Validates and freezes the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the first bad value
         */
        public RedisOptions build() {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank but was '" + host + "'");
            }
            check("port", port, 1, 65_535);
            check("database", database, 0, Integer.MAX_VALUE);
            check("workers", workers, 1, 64);
            check("maxBatch", maxBatch, 1, 65_536);
            check("poolSize", poolSize, 1, 10_000);
            check("queueBound", queueBound, 1, Integer.MAX_VALUE);
            check("maxTransactionAttempts", maxTransactionAttempts, 1, 1_000);
            positive("connectTimeout", connectTimeout);
            positive("socketTimeout", socketTimeout);
            positive("timeout", timeout);
            Objects.requireNonNull(poolMaxWait, "poolMaxWait");
            if (poolMaxWait.isNegative()) {
                throw new IllegalArgumentException("poolMaxWait must be >= 0 but was " + poolMaxWait);
            }
            if (clientName != null
                    && (clientName.isBlank() || clientName.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("clientName must not contain spaces but was '" + clientName + "'");
            }
            return new RedisOptions(this);
        }

        private static void check(String name, int value, int min, int max) {
            if (value < min) {
                throw new IllegalArgumentException(
                        name + " must be " + (min == 1 ? "> 0" : ">= " + min) + " but was " + value);
            }
            if (value > max) {
                throw new IllegalArgumentException(name + " must be <= " + max + " but was " + value);
            }
        }

        private static void positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + d);
            }
        }
    }
}
