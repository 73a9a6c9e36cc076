package dev.vtdb.mysql;

import dev.vtdb.internal.Secrets;
import dev.vtdb.internal.SpinWait;
import dev.vtdb.mysql.internal.MySqlUrl;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable settings of a MySQL or MariaDB {@link dev.vtdb.Database}: aiomysql's {@code
 * create_engine(host=, port=, user=, password=, db=, connect_timeout=, charset=)} keywords plus the
 * pool's. Build with {@link #builder()} or parse a URL with {@link #fromUrl(String)}; {@link
 * Builder#build()} validates and names the bad value. {@link #toString()} never shows a password.
 *
 * <p><b>Driver defaults.</b> vtdb opens MySQL Connector/J connections with safe settings:
 *
 * <ul>
 *   <li>{@code allowLoadLocalInfile=false}: the server cannot ask the client for a local file;
 *   <li>{@code allowPublicKeyRetrieval=false} unless {@link Builder#allowPublicKeyRetrieval(boolean)}
 *       (needed for {@code caching_sha2_password} without TLS, and open to a man in the middle);
 *   <li>{@code allowMultiQueries=false}: one statement per call, so an injected {@code ;} cannot
 *       append a second one. Reads queued together that share a round trip ({@link
 *       #pipelineLimit()}) are the one exception, and only vtdb's own text runs then: see {@link
 *       Builder#pipelineLimit(int)};
 *   <li>{@code useServerPrepStmts=true}, {@code cachePrepStmts=true}, {@code
 *       prepStmtCacheSize}={@link #statementCacheSize()}, {@code prepStmtCacheSqlLimit=2048}:
 *       server-side prepared statements, cached per connection;
 *   <li>{@code useCursorFetch=true}: {@code Session.stream} and {@code Session.cursor} read through
 *       a server-side cursor {@link #fetchSize()} rows at a time, in bounded memory;
 *   <li>{@code rewriteBatchedStatements=true}: {@code executeMany} of an INSERT is sent as
 *       multi-row INSERTs;
 *   <li>{@code connectionTimeZone}={@link #timeZone()} (UTC unless set), {@code
 *       forceConnectionTimeZoneToSession=true}, {@code preserveInstants=true}: the session's {@code
 *       time_zone} is set to that zone, so {@code DATETIME} values round-trip as {@code
 *       LocalDateTime} unchanged and {@code TIMESTAMP} values as the same instant;
 *   <li>{@code characterEncoding}={@link #charset()} ({@code utf8mb4} unless set), so every
 *       Unicode character, Chinese text and emoji included, round-trips;
 *   <li>{@code tcpKeepAlive=true}, {@code sslMode}={@link #sslMode()} ({@code PREFERRED} unless
 *       set), {@code connectTimeout}={@link #connectTimeout()};
 *   <li>{@code socketFactory}: Connector/J's standard factory with vtdb's sockets, whose wait for a
 *       lone call's reply may poll before blocking ({@link Builder#spinWait(Duration)}).
 * </ul>
 *
 * Any of them can be overridden with {@link Builder#driverProperty(String, String)}, which wins.
 */
public final class MySqlOptions {

    /** Connector/J's {@code sslMode} values. */
    public enum SslMode {
        /** No TLS. */
        DISABLED,
        /** TLS when the server offers it, no certificate check (Connector/J's default). */
        PREFERRED,
        /** TLS required, no certificate check. */
        REQUIRED,
        /** TLS required, the server certificate must be signed by a trusted CA. */
        VERIFY_CA,
        /** TLS required, trusted CA and the host name must match the certificate: use this in production. */
        VERIFY_IDENTITY;

        /**
         * Parses a spelling used by Connector/J ({@code VERIFY_IDENTITY}), the mysql client
         * ({@code verify-identity}) or PyMySQL/libpq-like URLs ({@code verify_identity}).
         *
         * @param s the spelling
         * @return the mode
         * @throws IllegalArgumentException naming the accepted values
         */
        public static SslMode parse(String s) {
            String n = s == null ? "" : s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (SslMode m : values()) {
                if (m.name().equals(n)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("sslMode must be one of disabled, preferred, required, verify_ca,"
                    + " verify_identity but was '" + s + "'");
        }
    }

    private final String host;
    private final int port;
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
    private final String charset;
    private final String collation;
    private final ZoneId timeZone;
    private final SslMode sslMode;
    private final String trustStore;
    private final String trustStoreType;
    private final String trustStorePassword;
    private final boolean allowPublicKeyRetrieval;
    private final String applicationName;
    private final Executor callbackExecutor;
    private final Map<String, String> driverProperties;

    private MySqlOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
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
        this.charset = b.charset;
        this.collation = b.collation;
        this.timeZone = b.timeZone;
        this.sslMode = b.sslMode;
        this.trustStore = b.trustStore;
        this.trustStoreType = b.trustStoreType;
        this.trustStorePassword = b.trustStorePassword;
        this.allowPublicKeyRetrieval = b.allowPublicKeyRetrieval;
        this.applicationName = b.applicationName;
        this.callbackExecutor = b.callbackExecutor;
        this.driverProperties = Map.copyOf(b.driverProperties);
    }

    /**
     * Starts a builder with the defaults: localhost:3306, user root, pool 10, utf8mb4, UTC session
     * time zone, connect timeout 10 s, command timeout 30 s, sslMode PREFERRED.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a URL into options: {@code mysql://user:pw@host:3306/db?connect_timeout=10}, the
     * SQLAlchemy form {@code mysql+pymysql://...} (any {@code +driver}), or {@code mariadb://...}.
     * Query parameters: {@code connect_timeout} (seconds), {@code charset}, {@code collation},
     * {@code ssl_mode} (or {@code sslmode}), {@code ssl_ca} (a PEM file of CA certificates, as PyMySQL's, or a trust store), {@code
     * command_timeout} (seconds), {@code pool_size} (or {@code maxsize}), {@code pipeline_limit},
     * {@code time_zone}, {@code allow_public_key_retrieval}, {@code application_name} (or {@code
     * program_name}), {@code user}, {@code password}, {@code db} (or {@code database}).
     *
     * @param url the URL; user, password and database are percent-decoded
     * @return the options
     * @throws IllegalArgumentException naming the bad part, with the password masked
     */
    public static MySqlOptions fromUrl(String url) {
        return MySqlUrl.parse(url, builder()).build();
    }

    /**
     * Returns a builder holding these values, to derive changed options.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
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
        b.charset = charset;
        b.collation = collation;
        b.timeZone = timeZone;
        b.sslMode = sslMode;
        b.trustStore = trustStore;
        b.trustStoreType = trustStoreType;
        b.trustStorePassword = trustStorePassword;
        b.allowPublicKeyRetrieval = allowPublicKeyRetrieval;
        b.applicationName = applicationName;
        b.callbackExecutor = callbackExecutor;
        b.driverProperties.putAll(driverProperties);
        return b;
    }

    /**
     * Returns the server's host name or address.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * Returns the server's port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the user name.
     *
     * @return the user
     */
    public String user() {
        return user;
    }

    /**
     * Returns the password; it is never printed.
     *
     * @return the password, or {@code null} for none
     */
    public String password() {
        return password;
    }

    /**
     * Returns the default database (aiomysql's {@code db=}).
     *
     * @return the database name, or {@code null} for none
     */
    public String database() {
        return database;
    }

    /**
     * Returns how long opening a connection may take (aiomysql's {@code connect_timeout}).
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns each call's default deadline.
     *
     * @return the command timeout
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Returns how long {@code close()} waits for running calls before cancelling them.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Returns the number of connections (and worker threads) in the pool.
     *
     * @return the pool size
     */
    public int poolSize() {
        return poolSize;
    }

    /**
     * Returns the most calls that may wait for a connection.
     *
     * @return the queue bound
     */
    public int queueBound() {
        return queueBound;
    }

    /**
     * Returns the number of prepared statements cached per connection; 0 turns the cache off.
     *
     * @return the cache size
     */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /**
     * Returns the rows read per round trip by cursors and streams.
     *
     * @return the fetch size
     */
    public int fetchSize() {
        return fetchSize;
    }

    /**
     * Returns how many queued reads of one statement may share a round trip.
     *
     * @return 1 to 64, 16 by default; 1 when off
     */
    public int pipelineLimit() {
        return pipelineLimit;
    }

    /**
     * Returns how long a lone call's worker polls for the reply before blocking.
     *
     * @return zero to 1 ms, 50 µs by default; zero when off
     */
    public Duration spinWait() {
        return spinWait;
    }

    /**
     * Returns the connection character set, a MySQL name.
     *
     * @return the charset, {@code utf8mb4} by default
     */
    public String charset() {
        return charset;
    }

    /**
     * Returns the connection collation.
     *
     * @return the collation, or {@code null} for the charset's default
     */
    public String collation() {
        return collation;
    }

    /**
     * Returns the zone the session's {@code time_zone} is set to and timestamps are converted with.
     *
     * @return the zone, UTC by default
     */
    public ZoneId timeZone() {
        return timeZone;
    }

    /**
     * Returns the TLS mode.
     *
     * @return the mode
     */
    public SslMode sslMode() {
        return sslMode;
    }

    /**
     * Returns the trust store holding the CA certificates for {@code VERIFY_CA} and {@code
     * VERIFY_IDENTITY}.
     *
     * @return a file path or URL, or {@code null} for the JVM's default trust store
     */
    public String trustStore() {
        return trustStore;
    }

    /**
     * Returns the trust store's type.
     *
     * @return {@code PKCS12}, {@code JKS}..., or {@code null} for the JVM default
     */
    public String trustStoreType() {
        return trustStoreType;
    }

    /**
     * Returns the trust store's password; it is never printed.
     *
     * @return the password, or {@code null}
     */
    public String trustStorePassword() {
        return trustStorePassword;
    }

    /**
     * Tells whether the driver may ask the server for its RSA public key.
     *
     * @return {@code false} unless asked for
     */
    public boolean allowPublicKeyRetrieval() {
        return allowPublicKeyRetrieval;
    }

    /**
     * Returns the {@code program_name} connection attribute shown by the server.
     *
     * @return the name, {@code vtdb} by default
     */
    public String applicationName() {
        return applicationName;
    }

    /**
     * Returns the executor futures complete on.
     *
     * @return the executor, or {@code null} for the worker thread that ran the call
     */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    /**
     * Returns extra Connector/J connection properties; they override vtdb's defaults.
     *
     * @return the properties
     */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    @Override
    public String toString() {
        return "MySqlOptions["
                + Secrets.mask("mysql://" + (user == null ? "" : user) + "@" + hostPort() + "/"
                        + (database == null ? "" : database))
                + (password == null ? "" : ", password=***")
                + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout.toMillis() + "ms, commandTimeout="
                + commandTimeout.toMillis() + "ms, charset=" + charset + ", timeZone=" + timeZone + ", sslMode="
                + sslMode + ", statementCacheSize=" + statementCacheSize + ", fetchSize=" + fetchSize
                + ", pipelineLimit=" + pipelineLimit + ", spinWait=" + spinWait.toNanos() / 1000 + "us]";
    }

    /** MySQL character sets and the Java encodings Connector/J maps them to. */
    private static final Map<String, String> JAVA_ENCODINGS = javaEncodings();

    private static Map<String, String> javaEncodings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("utf8mb4", "UTF-8");
        m.put("utf8mb3", "UTF-8");
        m.put("utf8", "UTF-8");
        m.put("latin1", "Cp1252");
        m.put("ascii", "US-ASCII");
        m.put("gbk", "GBK");
        m.put("gb18030", "GB18030");
        m.put("gb2312", "EUC_CN");
        m.put("big5", "Big5");
        m.put("sjis", "SJIS");
        m.put("cp932", "Windows-31J");
        m.put("ujis", "EUC_JP");
        m.put("euckr", "EUC_KR");
        m.put("latin2", "ISO8859_2");
        m.put("cp1250", "Cp1250");
        m.put("cp1251", "Cp1251");
        m.put("cp1256", "Cp1256");
        m.put("koi8r", "KOI8_R");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Returns the Java encoding Connector/J uses for a MySQL character set.
     *
     * @param mysqlCharset e.g. {@code utf8mb4}
     * @return e.g. {@code UTF-8}, or {@code null} when unknown
     */
    static String javaEncoding(String mysqlCharset) {
        return JAVA_ENCODINGS.get(mysqlCharset.toLowerCase(Locale.ROOT));
    }

    String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Builder of {@link MySqlOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 3306;
        private String user = "root";
        private String password;
        private String database;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private int poolSize = 10;
        private int queueBound = 65_536;
        private int statementCacheSize = 250;
        private int fetchSize = 1_000;
        private int pipelineLimit = 16;
        private Duration spinWait = Duration.ofNanos(50_000);
        private String charset = "utf8mb4";
        private String collation;
        private ZoneId timeZone = ZoneOffset.UTC;
        private SslMode sslMode = SslMode.PREFERRED;
        private String trustStore;
        private String trustStoreType;
        private String trustStorePassword;
        private boolean allowPublicKeyRetrieval;
        private String applicationName = "vtdb";
        private Executor callbackExecutor;
        private final Map<String, String> driverProperties = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets the server's host.
         *
         * @param host name or address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the server's port.
         *
         * @param port 1..65535
         * @return this builder
         * @throws IllegalArgumentException naming the bad port
         */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the user.
         *
         * @param user the user name
         * @return this builder
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /**
         * Sets the password.
         *
         * @param password the password, or {@code null} for none
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Sets the default database (aiomysql's {@code db=}).
         *
         * @param database the database name, or {@code null}
         * @return this builder
         */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /**
         * Sets how long opening a connection may take (aiomysql's {@code connect_timeout}).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets each call's default deadline, covering queueing, execution and fetching.
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
         * Sets the number of connections (and worker threads); aiomysql's {@code maxsize}.
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
         * Sets the per-connection prepared statement cache size; 0 turns the cache off.
         *
         * @param size 0 or more
         * @return this builder
         */
        public Builder statementCacheSize(int size) {
            this.statementCacheSize = size;
            return this;
        }

        /**
         * Sets the rows read per round trip by cursors and streams.
         *
         * @param fetchSize positive
         * @return this builder
         */
        public Builder fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /**
         * Sets how many reads of the same statement, queued behind each other, may share one round
         * trip (default 16; 1 sends every read alone). A worker that takes a plain {@code SELECT}
         * made directly on the database also takes the same statement's reads queued right behind
         * it and sends them as one text: {@code START TRANSACTION READ ONLY; SELECT ...; SELECT
         * ...; COMMIT}, its values escaped by Connector/J (its client-side prepared statements),
         * so the server reads them in one go and answers in one flush. Under load (256 callers on
         * 16 connections) that served 1.7x the queries per second of one round trip per query on
         * MariaDB 10.11, and 1.37-1.75x the Vert.x MySQL client (see bench/PROFILES.md).
         *
         * <p>Safety: the connection keeps {@code allowMultiQueries=false}. Multi-statements are
         * turned on at the server ({@code COM_SET_OPTION}, as Connector/J itself does for
         * batched statements) only while a worker sends shared reads, and off again before
         * anything else runs on that connection or it goes back to the pool, so no text of yours
         * ever runs with them on. Only statements without any {@code ;} (not even in a literal),
         * comment, {@code INTO} or locking clause are shared; every value is escaped, never
         * concatenated.
         *
         * <p>Results: the reads of one round trip run in one read-only transaction. If it fails
         * for any reason but a lost connection, it is rolled back and each read runs again on its
         * own, so every caller gets its own rows or its own error; a cancelled or timed-out read
         * fails alone. A statement is shared only after it ran alone once and its columns read the
         * same through the text protocol: {@code FLOAT} columns do not (the server prints them
         * with six digits), so statements returning one always run alone. While a worker is idle
         * only statements seen to take under 2 ms per read are shared, so slow reads issued
         * together still run in parallel.
         *
         * @param limit 1 to 64
         * @return this builder
         */
        public Builder pipelineLimit(int limit) {
            this.pipelineLimit = limit;
            return this;
        }

        /**
         * Sets how long the worker running a lone call polls the socket for the server's reply
         * before it blocks in the kernel (default 50 µs; zero turns it off; at most 1 ms). It
         * applies only while the call is the database's only one running, on the worker kept for
         * lone callers (a platform thread): a quick statement's reply usually arrives within that
         * time, and catching it while still running saves the thread a sleep and a wake-up, which on
         * a virtual machine cost tens of microseconds. The price is up to that much processor time
         * per call while one caller is active; with more calls running no worker spins. Has no
         * effect with a {@code socketFactory} of your own in {@link #driverProperty}.
         *
         * @param spinWait zero to 1 ms
         * @return this builder
         */
        public Builder spinWait(Duration spinWait) {
            this.spinWait = spinWait;
            return this;
        }

        /**
         * Sets the connection character set by its MySQL name ({@code utf8mb4}, {@code latin1}...).
         *
         * @param charset the charset
         * @return this builder
         */
        public Builder charset(String charset) {
            this.charset = charset;
            return this;
        }

        /**
         * Sets the connection collation ({@code utf8mb4_unicode_ci}...).
         *
         * @param collation the collation, or {@code null} for the charset's default
         * @return this builder
         */
        public Builder collation(String collation) {
            this.collation = collation;
            return this;
        }

        /**
         * Sets the session time zone. A fixed offset is always accepted; a region ({@code
         * Europe/Paris}) needs the server's time zone tables.
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = zone;
            return this;
        }

        /**
         * Sets the TLS mode; use {@link SslMode#VERIFY_IDENTITY} with a {@link #trustStore} in
         * production.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder sslMode(SslMode mode) {
            this.sslMode = mode;
            return this;
        }

        /**
         * Sets the trust store holding the CA that signed the server certificate.
         *
         * @param path a file path or {@code file:} URL: a key store, or a PEM file of CA certificates
         *     (PyMySQL's {@code ssl_ca}), which vtdb turns into a PKCS12 store of its own
         * @param type {@code PKCS12}, {@code JKS} or {@code PEM}, or {@code null} to tell PEM by its
         *     text and otherwise use the JVM default
         * @param password the store's password, or {@code null}
         * @return this builder
         */
        public Builder trustStore(String path, String type, String password) {
            this.trustStore = path;
            this.trustStoreType = type;
            this.trustStorePassword = password;
            return this;
        }

        /**
         * Lets the driver fetch the server's RSA key to send a {@code caching_sha2_password} or
         * {@code sha256_password} password without TLS. Off by default: a man in the middle can
         * hand out its own key.
         *
         * @param allow {@code true} to allow
         * @return this builder
         */
        public Builder allowPublicKeyRetrieval(boolean allow) {
            this.allowPublicKeyRetrieval = allow;
            return this;
        }

        /**
         * Sets the {@code program_name} connection attribute.
         *
         * @param name the name shown in {@code performance_schema.session_connect_attrs}
         * @return this builder
         */
        public Builder applicationName(String name) {
            this.applicationName = name;
            return this;
        }

        /**
         * Makes futures complete on this executor instead of the worker thread, so heavy {@code
         * thenApply} callbacks do not hold a connection.
         *
         * @param executor the executor, or {@code null}
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /**
         * Sets a Connector/J connection property; it overrides vtdb's default of the same name.
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
        public MySqlOptions build() {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must be set");
            }
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("user must be set");
            }
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
            if (charset == null || javaEncoding(charset) == null) {
                throw new IllegalArgumentException("charset must be a MySQL character set ("
                        + String.join(", ", JAVA_ENCODINGS.keySet()) + ") but was "
                        + (charset == null ? "null" : "'" + charset + "'"));
            }
            if (collation != null && !collation.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("collation must be a collation name but was '" + collation + "'");
            }
            Objects.requireNonNull(timeZone, "timeZone");
            if (sslMode == null) {
                throw new IllegalArgumentException("sslMode must be set");
            }
            if (applicationName == null) {
                applicationName = "vtdb";
            }
            return new MySqlOptions(this);
        }

        private static void positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be > 0 but was " + d);
            }
        }
    }
}
