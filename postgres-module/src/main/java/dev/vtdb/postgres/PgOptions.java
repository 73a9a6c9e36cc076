package dev.vtdb.postgres;

import dev.vtdb.internal.SpinWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable settings of a PostgreSQL {@link dev.vtdb.Database}: asyncpg's {@code connect()}
 * keywords plus the pool's. Build with {@link #builder()}; {@link Builder#build()} validates and
 * names the bad value. {@link #toString()} never shows the password.
 */
public final class PgOptions {

    /** libpq's sslmode values. */
    public enum SslMode {
        /** No TLS. */
        DISABLE,
        /** TLS only if the server insists. */
        ALLOW,
        /** TLS when the server offers it (libpq's default), no certificate check. */
        PREFER,
        /** TLS required, no certificate check. */
        REQUIRE,
        /** TLS required, the server certificate must be signed by a trusted CA. */
        VERIFY_CA,
        /**
         * TLS required, trusted CA and the host name must match the certificate: use this in
         * production, with {@link Builder#sslRootCert(String)} (or {@code ?sslrootcert=} in the
         * DSN) naming the CA's PEM file; without it pgjdbc reads {@code ~/.postgresql/root.crt}.
         */
        VERIFY_FULL;

        /**
         * Returns the libpq spelling ({@code verify-full}).
         *
         * @return the spelling pgjdbc and libpq use
         */
        public String libpqName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /**
         * Parses a libpq spelling.
         *
         * @param s e.g. {@code verify-full}
         * @return the mode
         * @throws IllegalArgumentException naming the accepted values
         */
        public static SslMode parse(String s) {
            for (SslMode m : values()) {
                if (m.libpqName().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("sslmode must be one of disable, allow, prefer, require, verify-ca,"
                    + " verify-full but was '" + s + "'");
        }
    }

    /** A host and port. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final List<HostPort> hosts;
    private final String user;
    private final String password;
    private final String database;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final Duration closeTimeout;
    private final int poolSize;
    private final int queueBound;
    private final int statementCacheSize;
    private final int fetchSize;
    private final int pipelineLimit;
    private final Duration spinWait;
    private final SslMode sslMode;
    private final String sslRootCert;
    private final String applicationName;
    private final String serverOptions;
    private final String targetSessionAttrs;
    private final boolean pgBouncerTransactionMode;
    private final Executor callbackExecutor;
    private final Map<String, String> driverProperties;

    private PgOptions(Builder b) {
        this.hosts = List.copyOf(b.hosts.isEmpty() ? List.of(new HostPort("localhost", 5432)) : b.hosts);
        this.user = b.user;
        this.password = b.password;
        this.database = b.database;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.closeTimeout = b.closeTimeout;
        this.poolSize = b.poolSize;
        this.queueBound = b.queueBound;
        this.statementCacheSize = b.statementCacheSize;
        this.fetchSize = b.fetchSize;
        this.pipelineLimit = b.pipelineLimit;
        this.spinWait = b.spinWait;
        this.sslMode = b.sslMode;
        this.sslRootCert = b.sslRootCert;
        this.applicationName = b.applicationName;
        this.serverOptions = b.serverOptions;
        this.targetSessionAttrs = b.targetSessionAttrs;
        this.pgBouncerTransactionMode = b.pgBouncerTransactionMode;
        this.callbackExecutor = b.callbackExecutor;
        this.driverProperties = Map.copyOf(b.driverProperties);
    }

    /**
     * Starts a builder with the defaults (localhost:5432, pool 16, command timeout 30 s).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses an asyncpg/libpq DSN into options: {@code postgres://} or {@code postgresql://},
     * {@code user:password@host:port/database} with percent-encoded parts, several hosts ({@code
     * h1:5432,h2:5433}) tried in order with {@code target_session_attrs}, and the parameters
     * {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code connect_timeout}
     * (seconds), {@code command_timeout}, {@code application_name}, {@code options}, {@code
     * target_session_attrs}, {@code host}, {@code port}, {@code user}, {@code password}, {@code
     * dbname}, {@code passfile}, {@code pool_size}, {@code statement_cache_size}, {@code pipeline_limit}.
     *
     * <p>Like libpq, what the DSN leaves out comes from {@code PGHOST}, {@code PGPORT}, {@code
     * PGUSER}, {@code PGPASSWORD}, {@code PGDATABASE}, {@code PGSSLMODE}, {@code PGSSLROOTCERT},
     * {@code PGAPPNAME}, {@code PGCONNECT_TIMEOUT}, {@code PGOPTIONS} and {@code
     * PGTARGETSESSIONATTRS}; a missing password is looked up in {@code PGPASSFILE} or {@code
     * ~/.pgpass} (ignored when group or world can read it); a missing database is the user name.
     *
     * <p>TLS: {@code ?sslmode=verify-full&sslrootcert=/path/to/root.crt} checks the server's
     * certificate against that CA (PEM) and the host name against the certificate; without {@code
     * sslrootcert} pgjdbc reads {@code ~/.postgresql/root.crt}.
     *
     * @param dsn e.g. {@code postgres://user:pw@localhost:5432/db?sslmode=verify-full}
     * @return the options
     * @throws IllegalArgumentException naming the bad part, with the password masked
     */
    public static PgOptions fromDsn(String dsn) {
        return dev.vtdb.postgres.internal.PgDsn.options(dsn);
    }

    /**
     * Returns a builder holding these values, to derive changed options.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hosts.addAll(hosts);
        b.user = user;
        b.password = password;
        b.database = database;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.closeTimeout = closeTimeout;
        b.poolSize = poolSize;
        b.queueBound = queueBound;
        b.statementCacheSize = statementCacheSize;
        b.fetchSize = fetchSize;
        b.pipelineLimit = pipelineLimit;
        b.spinWait = spinWait;
        b.sslMode = sslMode;
        b.sslRootCert = sslRootCert;
        b.applicationName = applicationName;
        b.serverOptions = serverOptions;
        b.targetSessionAttrs = targetSessionAttrs;
        b.pgBouncerTransactionMode = pgBouncerTransactionMode;
        b.callbackExecutor = callbackExecutor;
        b.driverProperties.putAll(driverProperties);
        return b;
    }

    /** @return the hosts tried in order */
    public List<HostPort> hosts() {
        return hosts;
    }

    /** @return the user name */
    public String user() {
        return user;
    }

    /** @return the password, or {@code null}; never printed */
    public String password() {
        return password;
    }

    /** @return the database name */
    public String database() {
        return database;
    }

    /** @return how long opening a connection may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return each call's default deadline */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** @return how long close waits for running calls */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** @return connections (and workers) in the pool */
    public int poolSize() {
        return poolSize;
    }

    /** @return the most calls that may wait */
    public int queueBound() {
        return queueBound;
    }

    /** @return prepared statements cached per connection; 0 turns server-side prepares off */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /** @return rows per round trip for cursors and streams */
    public int fetchSize() {
        return fetchSize;
    }

    /** @return how many queued reads of one statement may share a round trip; 1 when off */
    public int pipelineLimit() {
        return pipelineLimit;
    }

    /** @return how long a lone call's worker polls for the reply before blocking; zero when off */
    public Duration spinWait() {
        return spinWait;
    }

    /** @return the TLS mode */
    public SslMode sslMode() {
        return sslMode;
    }

    /** @return the CA certificate file for verify-ca/verify-full, or {@code null} */
    public String sslRootCert() {
        return sslRootCert;
    }

    /** @return the application_name reported to the server */
    public String applicationName() {
        return applicationName;
    }

    /** @return libpq's {@code options} (e.g. {@code -c search_path=x}), or {@code null} */
    public String serverOptions() {
        return serverOptions;
    }

    /** @return libpq's target_session_attrs ({@code any}, {@code read-write}, ...), or {@code null} */
    public String targetSessionAttrs() {
        return targetSessionAttrs;
    }

    /** @return whether PgBouncer transaction pooling mode is on (no server-side prepared statements) */
    public boolean pgBouncerTransactionMode() {
        return pgBouncerTransactionMode;
    }

    /** @return where futures complete, or {@code null} for the worker thread */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    /** @return extra pgjdbc connection properties */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    @Override
    public String toString() {
        return "PgOptions[postgres://" + (user == null ? "" : user) + (password == null ? "" : ":***") + "@"
                + String.join(",", hosts.stream().map(HostPort::toString).toList()) + "/"
                + (database == null ? "" : database)
                + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout.toMillis() + "ms, commandTimeout="
                + commandTimeout.toMillis() + "ms, sslmode=" + sslMode.libpqName() + ", statementCacheSize="
                + statementCacheSize + (pgBouncerTransactionMode ? ", pgbouncer" : "") + "]";
    }

    /** Builder of {@link PgOptions}. */
    public static final class Builder {
        private final List<HostPort> hosts = new ArrayList<>();
        private String user = System.getProperty("user.name");
        private String password;
        private String database;
        private Duration connectTimeout = Duration.ofSeconds(60);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private int poolSize = 16;
        private int queueBound = 65_536;
        private int statementCacheSize = 256;
        private int fetchSize = 1_000;
        private int pipelineLimit = 16;
        private Duration spinWait = Duration.ofNanos(50_000);
        private SslMode sslMode = SslMode.PREFER;
        private String sslRootCert;
        private String applicationName = "vtdb";
        private String serverOptions;
        private String targetSessionAttrs;
        private boolean pgBouncerTransactionMode;
        private Executor callbackExecutor;
        private final Map<String, String> driverProperties = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the one host to connect to (replacing any set before).
         *
         * @param host name or address
         * @return this builder
         */
        public Builder host(String host) {
            int port = hosts.isEmpty() ? 5432 : hosts.getFirst().port();
            hosts.clear();
            hosts.add(new HostPort(Objects.requireNonNull(host, "host"), port));
            return this;
        }

        /**
         * Sets the port of the host(s) set so far, or of localhost.
         *
         * @param port 1..65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
            }
            if (hosts.isEmpty()) {
                hosts.add(new HostPort("localhost", port));
            } else {
                hosts.replaceAll(h -> new HostPort(h.host(), port));
            }
            return this;
        }

        /**
         * Adds a host to try (multi-host, with {@link #targetSessionAttrs(String)}).
         *
         * @param host name or address
         * @param port port
         * @return this builder
         */
        public Builder addHost(String host, int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
            }
            hosts.add(new HostPort(Objects.requireNonNull(host, "host"), port));
            return this;
        }

        /**
         * Sets the user.
         *
         * @param user the role name
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
         * Sets the database.
         *
         * @param database the database name
         * @return this builder
         */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /**
         * Sets how long opening a connection may take (asyncpg's {@code timeout=}).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets each call's default deadline (asyncpg's {@code command_timeout}).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * Sets how long close waits for running calls before cancelling them.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Sets the number of connections (and worker threads).
         *
         * @param poolSize 1..1000
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Sets how many calls may wait before new ones fail fast.
         *
         * @param queueBound positive
         * @return this builder
         */
        public Builder queueBound(int queueBound) {
            this.queueBound = queueBound;
            return this;
        }

        /**
         * Sets the per-connection prepared statement cache size; 0 disables server-side prepares.
         *
         * @param size 0 or more
         * @return this builder
         */
        public Builder statementCacheSize(int size) {
            this.statementCacheSize = size;
            return this;
        }

        /**
         * Sets rows per round trip for cursors and streams.
         *
         * @param fetchSize positive
         * @return this builder
         */
        public Builder fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /**
         * Sets how long the worker running a lone call polls the socket for the server's reply
         * before it blocks in the kernel (default 50 µs; zero turns it off; at most 1 ms). It
         * applies only while the call is the database's only one running, on the worker kept for
         * lone callers (a platform thread): a quick statement's reply usually arrives within that
         * time, and catching it while still running saves the thread a sleep and a wake-up, which on
         * a virtual machine cost tens of microseconds (one caller's point selects: 1.2x the rate,
         * bench/PROFILES.md). The price is up to that much processor time per call while one caller
         * is active; with more calls running no worker spins. Has no effect with a {@code
         * socketFactory} of your own in {@link #driverProperty}.
         *
         * @param spinWait zero to 1 ms
         * @return this builder
         */
        public Builder spinWait(Duration spinWait) {
            this.spinWait = spinWait;
            return this;
        }

        /**
         * Sets how many queued reads of the same statement a worker sends in one round trip
         * (default 16; 1 turns it off). When more calls wait than there are connections, a worker
         * that takes a plain {@code SELECT} made on the database (not inside a callback) also takes
         * the reads of the same SQL queued right behind it, sends them as one multi-statement
         * execute with a single sync, and completes each future with its own rows: PostgreSQL
         * reads them in one go and answers in one flush, which on a busy server is several times
         * the throughput of one round trip per query (see bench/PROFILES.md). Such reads run in
         * one implicit transaction; if that fails for any reason but a lost connection, nothing of
         * it was committed and each read runs again on its own, so every caller still gets its own
         * rows or its own error. Statements with comments, several statements, {@code INTO} or a
         * locking clause ({@code FOR UPDATE}/{@code SHARE}) always run alone. A read never waits
         * to be grouped: it joins only reads already queued, and while a worker is idle only
         * statements seen to take under 2 ms per read are grouped, so slow reads issued together
         * still run in parallel.
         *
         * @param limit 1 to 64
         * @return this builder
         */
        public Builder pipelineLimit(int limit) {
            this.pipelineLimit = limit;
            return this;
        }

        /**
         * Sets the TLS mode ({@link SslMode#VERIFY_FULL} in production).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder sslMode(SslMode mode) {
            this.sslMode = Objects.requireNonNull(mode, "sslMode");
            return this;
        }

        /**
         * Sets the CA certificate file used to verify the server.
         *
         * @param path a PEM file
         * @return this builder
         */
        public Builder sslRootCert(String path) {
            this.sslRootCert = path;
            return this;
        }

        /**
         * Sets application_name.
         *
         * @param name shown in pg_stat_activity
         * @return this builder
         */
        public Builder applicationName(String name) {
            this.applicationName = name;
            return this;
        }

        /**
         * Sets libpq's {@code options} string ({@code -c search_path=app}).
         *
         * @param options the options
         * @return this builder
         */
        public Builder serverOptions(String options) {
            this.serverOptions = options;
            return this;
        }

        /**
         * Sets target_session_attrs for multi-host setups ({@code any}, {@code read-write},
         * {@code read-only}, {@code primary}, {@code standby}, {@code prefer-standby}).
         *
         * @param attrs the value
         * @return this builder
         */
        public Builder targetSessionAttrs(String attrs) {
            this.targetSessionAttrs = attrs;
            return this;
        }

        /**
         * Turns PgBouncer transaction-pooling mode on: server-side prepared statements are off,
         * because PgBouncer may run the next statement on another server connection where the
         * prepared statement does not exist.
         *
         * @param on {@code true} behind PgBouncer in transaction mode
         * @return this builder
         */
        public Builder pgBouncerTransactionMode(boolean on) {
            this.pgBouncerTransactionMode = on;
            return this;
        }

        /**
         * Makes futures complete on this executor instead of the worker thread.
         *
         * @param executor the executor, or {@code null}
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /**
         * Sets an extra pgjdbc connection property.
         *
         * @param name property name
         * @param value property value
         * @return this builder
         */
        public Builder driverProperty(String name, String value) {
            driverProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad value
         */
        public PgOptions build() {
            if (poolSize < 1 || poolSize > 1000) {
                throw new IllegalArgumentException("poolSize must be between 1 and 1000 but was " + poolSize);
            }
            if (queueBound < 1) {
                throw new IllegalArgumentException("queueBound must be > 0 but was " + queueBound);
            }
            if (statementCacheSize < 0) {
                throw new IllegalArgumentException("statementCacheSize must be >= 0 but was " + statementCacheSize);
            }
            if (fetchSize < 1) {
                throw new IllegalArgumentException("fetchSize must be > 0 but was " + fetchSize);
            }
            if (pipelineLimit < 1 || pipelineLimit > 64) {
                throw new IllegalArgumentException("pipelineLimit must be between 1 and 64 but was " + pipelineLimit);
            }
            SpinWait.check(spinWait);
            positive("connectTimeout", connectTimeout);
            positive("commandTimeout", commandTimeout);
            positive("closeTimeout", closeTimeout);
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("user must be set");
            }
            if (targetSessionAttrs != null) {
                targetServerType(targetSessionAttrs);
            }
            return new PgOptions(this);
        }

        static String targetServerType(String attrs) {
            return switch (attrs.toLowerCase(java.util.Locale.ROOT)) {
                case "any" -> "any";
                case "read-write", "primary" -> "primary";
                case "read-only", "standby" -> "secondary";
                case "prefer-standby" -> "preferSecondary";
                default ->
                    throw new IllegalArgumentException("target_session_attrs must be one of any, read-write,"
                            + " read-only, primary, standby, prefer-standby but was '" + attrs + "'");
            };
        }

        private static void positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be > 0 but was " + d);
            }
        }
    }
}
