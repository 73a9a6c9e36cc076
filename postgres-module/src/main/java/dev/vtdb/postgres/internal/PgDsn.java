package dev.vtdb.postgres.internal;

import dev.vtdb.internal.Secrets;
import dev.vtdb.internal.UriText;
import dev.vtdb.postgres.PgOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses asyncpg/libpq URIs: {@code postgres[ql]://[user[:pw]@][host[:port][,...]][/db][?k=v&...]},
 * with libpq's fallbacks: the {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD},
 * {@code PGDATABASE} (and {@code PGSSLMODE}, {@code PGSSLROOTCERT}, {@code PGAPPNAME}, {@code
 * PGCONNECT_TIMEOUT}, {@code PGOPTIONS}, {@code PGTARGETSESSIONATTRS}) environment variables for
 * what the DSN leaves out, and the password file ({@code PGPASSFILE} or {@code ~/.pgpass}) when no
 * password is given.
 */
public final class PgDsn {
    private static final Logger LOG = LoggerFactory.getLogger(PgDsn.class);

    private PgDsn() {}

    /**
     * Parses a DSN with the process environment and the user's password file.
     *
     * @param dsn the DSN
     * @return the options
     * @throws IllegalArgumentException naming the bad part, password masked
     */
    public static PgOptions options(String dsn) {
        Map<String, String> env = System.getenv();
        return options(dsn, env, defaultPassFile(env));
    }

    /**
     * Parses a DSN with an explicit environment and password file (for tests).
     *
     * @param dsn the DSN
     * @param env the environment variables to fall back on
     * @param passFile the password file, or {@code null} for none
     * @return the options
     */
    static PgOptions options(String dsn, Map<String, String> env, Path passFile) {
        PgOptions.Builder b = PgOptions.builder();
        Path[] passFileHolder = {passFile};
        String envPort = env.get("PGPORT");
        Given given = new Given();
        parse(dsn, b, passFileHolder, nonEmpty(envPort) && !envPort.contains(",") ? envPort : null, given);
        // libpq: each variable only for a part the DSN leaves out, so one that does not apply (a
        // Unix-socket PGHOST beside a DSN naming a TCP host) is neither used nor checked
        applyEnvironment(b, env, given);
        PgOptions o = b.build();
        return withPassFile(o, passFileHolder[0]);
    }

    /**
     * Applies a DSN to a builder, without environment or password file.
     *
     * @param dsn the DSN
     * @param b the builder to fill
     * @return the builder
     * @throws IllegalArgumentException naming the bad part, password masked
     */
    public static PgOptions.Builder parse(String dsn, PgOptions.Builder b) {
        return parse(dsn, b, new Path[1], null, new Given());
    }

    /**
     * Fills a missing password from the user's password file, like libpq.
     *
     * @param o the options
     * @return the options, with the password of the first matching line when they had none
     */
    public static PgOptions withPassFile(PgOptions o) {
        return withPassFile(o, defaultPassFile(System.getenv()));
    }

    static PgOptions withPassFile(PgOptions o, Path passFile) {
        if (o.password() != null || passFile == null) {
            return o;
        }
        for (PgOptions.HostPort hp : o.hosts()) {
            String pw = lookupPassword(passFile, hp.host(), hp.port(), databaseOf(o), o.user());
            if (pw != null) {
                return o.toBuilder().password(pw).build();
            }
        }
        return o;
    }

    /**
     * Returns the database a connection uses: the one set, else (libpq) the user name.
     *
     * @param o the options
     * @return the database name
     */
    public static String databaseOf(PgOptions o) {
        return o.database() == null || o.database().isEmpty() ? o.user() : o.database();
    }

    static Path defaultPassFile(Map<String, String> env) {
        String explicit = env.get("PGPASSFILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        // libpq: $HOME first (a process may run with a HOME other than its account's), then the account's
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        if (home == null || home.isEmpty()) {
            return null;
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return appData == null ? null : Path.of(appData, "postgresql", "pgpass.conf");
        }
        return Path.of(home, ".pgpass");
    }

    /**
     * Looks a password up in a libpq password file: lines {@code host:port:database:user:password},
     * {@code *} matches anything, {@code \:} and {@code \\} escape, {@code #} starts a comment; the
     * first matching line wins. Like libpq, a file readable by group or others is ignored.
     */
    static String lookupPassword(Path file, String host, int port, String database, String user) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                if (perms.contains(PosixFilePermission.GROUP_READ)
                        || perms.contains(PosixFilePermission.OTHERS_READ)
                        || perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    LOG.warn(
                            "password file {} has group or world access; it is ignored (chmod 0600 it), as libpq does",
                            file);
                    return null;
                }
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                List<String> f = splitPassLine(line);
                if (f.size() < 5) {
                    continue;
                }
                if (matches(f.get(0), host)
                        && matches(f.get(1), String.valueOf(port))
                        && matches(f.get(2), database)
                        && matches(f.get(3), user)) {
                    return f.get(4);
                }
            }
        } catch (IOException e) {
            LOG.warn("password file {} could not be read: {}", file, e.toString());
        }
        return null;
    }

    private static boolean matches(String pattern, String value) {
        return "*".equals(pattern) || pattern.equals(value);
    }

    private static List<String> splitPassLine(String line) {
        List<String> fields = new ArrayList<>(5);
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        return fields;
    }

    /** The parts a DSN set itself, which the environment then leaves alone (libpq). */
    private static final class Given {
        private final Set<String> parts = new HashSet<>();
        /** A port the DSN gave without a host ({@code ?port=}), for the hosts of {@code PGHOST}. */
        private String portWithoutHost;

        void add(String part) {
            parts.add(part);
        }

        boolean lacks(String part) {
            return !parts.contains(part);
        }
    }

    private static void applyEnvironment(PgOptions.Builder b, Map<String, String> env, Given given) {
        String source = "environment variable ";
        try {
            String hosts = env.get("PGHOST");
            String ports = given.portWithoutHost != null ? given.portWithoutHost : env.get("PGPORT");
            if (given.lacks("host") && (nonEmpty(hosts) || nonEmpty(ports))) {
                setHosts(
                        b,
                        nonEmpty(hosts) ? hosts : "localhost",
                        ports,
                        given.portWithoutHost != null ? "PGHOST and the DSN's port parameter" : "PGHOST/PGPORT");
            }
            if (given.lacks("user") && nonEmpty(env.get("PGUSER"))) {
                b.user(env.get("PGUSER"));
            }
            if (given.lacks("password") && nonEmpty(env.get("PGPASSWORD"))) {
                b.password(env.get("PGPASSWORD"));
            }
            if (given.lacks("dbname") && nonEmpty(env.get("PGDATABASE"))) {
                b.database(env.get("PGDATABASE"));
            }
            if (given.lacks("sslmode") && nonEmpty(env.get("PGSSLMODE"))) {
                source = "environment variable PGSSLMODE: ";
                b.sslMode(PgOptions.SslMode.parse(env.get("PGSSLMODE")));
            }
            if (given.lacks("sslrootcert") && nonEmpty(env.get("PGSSLROOTCERT"))) {
                b.sslRootCert(env.get("PGSSLROOTCERT"));
            }
            if (given.lacks("application_name") && nonEmpty(env.get("PGAPPNAME"))) {
                b.applicationName(env.get("PGAPPNAME"));
            }
            if (given.lacks("options") && nonEmpty(env.get("PGOPTIONS"))) {
                b.serverOptions(env.get("PGOPTIONS"));
            }
            if (given.lacks("target_session_attrs") && nonEmpty(env.get("PGTARGETSESSIONATTRS"))) {
                b.targetSessionAttrs(env.get("PGTARGETSESSIONATTRS"));
            }
            if (given.lacks("connect_timeout") && nonEmpty(env.get("PGCONNECT_TIMEOUT"))) {
                source = "environment variable PGCONNECT_TIMEOUT: ";
                connectTimeout(b, env.get("PGCONNECT_TIMEOUT"));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + "not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((source.endsWith(": ") ? source : "") + Secrets.mask(e.getMessage()), e);
        }
    }

    /** libpq: seconds, values below 2 count as 2, and 0 (or negative) means no limit: keep the default. */
    private static void connectTimeout(PgOptions.Builder b, String value) {
        long seconds = Long.parseLong(value.strip());
        if (seconds > 0) {
            b.connectTimeout(Duration.ofSeconds(Math.max(2, seconds)));
        }
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static PgOptions.Builder parse(
            String dsn, PgOptions.Builder b, Path[] passFile, String envPort, Given given) {
        if (dsn == null || dsn.isBlank()) {
            throw new IllegalArgumentException("DSN must not be empty");
        }
        String masked = mask(dsn);
        String rest;
        if (dsn.startsWith("postgresql://")) {
            rest = dsn.substring("postgresql://".length());
        } else if (dsn.startsWith("postgres://")) {
            rest = dsn.substring("postgres://".length());
        } else {
            int scheme = dsn.indexOf("://");
            throw new IllegalArgumentException("DSN must start with postgres:// or postgresql:// but "
                    + (scheme > 0 ? "its scheme is '" + dsn.substring(0, scheme) + "'" : "has no scheme") + ": "
                    + masked);
        }
        // the user info first, as libpq: it ends at the last '@' before the path, so a password may
        // hold a raw '?' or '@'; nothing before that '@' is quoted in a message
        int at = userInfoEnd(rest, 0);
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                String user = decode(userInfo.substring(0, colon), "user", masked);
                if (!user.isEmpty()) {
                    b.user(user);
                    given.add("user");
                }
                b.password(decode(userInfo.substring(colon + 1), "password", masked));
                given.add("password");
            } else if (!userInfo.isEmpty()) {
                b.user(decode(userInfo, "user", masked));
                given.add("user");
            }
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String hostPart = slash >= 0 ? rest.substring(0, slash) : rest;
        if (slash >= 0 && slash + 1 < rest.length()) {
            b.database(decode(rest.substring(slash + 1), "database", masked));
            given.add("dbname");
        }
        List<PgOptions.HostPort> dsnHosts = new ArrayList<>();
        if (!hostPart.isEmpty()) {
            for (String hp : hostPart.split(",", -1)) {
                dsnHosts.add(hostPort(hp, masked, envPort));
            }
            setHosts(b, dsnHosts);
            given.add("host");
        }
        if (query != null && !query.isEmpty()) {
            String hostParam = null;
            String portParam = null;
            for (String kv : query.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("invalid query parameter '" + Secrets.mask(kv) + "' in DSN "
                            + masked + ": expected key=value");
                }
                String key = decode(kv.substring(0, eq), "parameter name", masked);
                String value = decode(kv.substring(eq + 1), "parameter " + key, masked);
                switch (key) {
                    case "host" -> hostParam = value;
                    case "port" -> portParam = value;
                    case "passfile" -> passFile[0] = Path.of(value);
                    default -> {
                        apply(b, key, value, masked);
                        given.add(canonical(key));
                    }
                }
            }
            if (hostParam == null && portParam != null && dsnHosts.isEmpty()) {
                given.portWithoutHost = portParam; // for PGHOST's hosts, or localhost
            } else if (hostParam != null || portParam != null) {
                String hostList = hostParam != null
                        ? hostParam
                        : String.join(
                                ",",
                                dsnHosts.stream().map(PgOptions.HostPort::host).toList());
                try {
                    setHosts(b, hostList, portParam == null ? envPort : portParam, "host/port parameter");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " in DSN " + masked, e);
                }
                given.add("host");
            }
        }
        return b;
    }

    /** The names under which {@link Given} records a DSN parameter (its aliases folded). */
    private static String canonical(String key) {
        return switch (key) {
            case "database" -> "dbname";
            default -> key;
        };
    }

    /**
     * Where the user info of a URI's authority ends: its last {@code @} before the path's {@code /}
     * (libpq), or -1 when there is none.
     *
     * @param text the URI, or the part after its scheme
     * @param from where the authority starts
     */
    private static int userInfoEnd(String text, int from) {
        int slash = text.indexOf('/', from);
        int end = slash < 0 ? text.length() : slash;
        int at = text.lastIndexOf('@', end - 1);
        return at >= from ? at : -1;
    }

    private static PgOptions.HostPort hostPort(String hp, String masked, String envPort) {
        String host = hp;
        String port = null;
        if (hp.startsWith("[")) {
            int end = hp.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("invalid host '" + hp + "' in DSN " + masked + ": missing ']'");
            }
            host = hp.substring(1, end);
            if (end + 1 < hp.length()) {
                if (hp.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("invalid host '" + hp + "' in DSN " + masked);
                }
                port = hp.substring(end + 2);
            }
        } else {
            int c = hp.lastIndexOf(':');
            if (c >= 0) {
                host = hp.substring(0, c);
                port = hp.substring(c + 1);
            }
        }
        host = decode(host, "host", masked);
        if (host.isEmpty()) {
            host = "localhost";
        }
        checkTcpHost(host, masked);
        if (port == null || port.isEmpty()) {
            return new PgOptions.HostPort(
                    host, envPort == null ? 5432 : parsePort(envPort, "environment variable PGPORT"));
        }
        return new PgOptions.HostPort(host, parsePort(port, masked));
    }

    private static int parsePort(String p, String context) {
        int port;
        try {
            port = Integer.parseInt(p.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + p + "' in " + context + ": not a number");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(
                    "invalid port '" + p + "' in " + context + ": must be between 1 and 65535");
        }
        return port;
    }

    private static void checkTcpHost(String host, String context) {
        if (host.startsWith("/") || host.startsWith("@")) {
            throw new IllegalArgumentException("host '" + host + "' in " + context
                    + " is a Unix-domain socket; pgjdbc connects over TCP only: use localhost or an address");
        }
    }

    /** Sets hosts from libpq's comma lists ({@code h1,h2} and {@code 5432,5433} or one port for all). */
    private static void setHosts(PgOptions.Builder b, String hostList, String portList, String context) {
        String[] hosts = hostList.split(",", -1);
        String[] ports = portList == null || portList.isEmpty() ? new String[0] : portList.split(",", -1);
        if (ports.length > 1 && ports.length != hosts.length) {
            throw new IllegalArgumentException(
                    "could not match " + ports.length + " port numbers to " + hosts.length + " hosts in " + context);
        }
        List<PgOptions.HostPort> out = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            String h = hosts[i].strip().isEmpty() ? "localhost" : hosts[i].strip();
            checkTcpHost(h, context);
            String p = ports.length == 0 ? null : ports.length == 1 ? ports[0] : ports[i];
            out.add(new PgOptions.HostPort(h, p == null || p.isBlank() ? 5432 : parsePort(p, context)));
        }
        setHosts(b, out);
    }

    private static void setHosts(PgOptions.Builder b, List<PgOptions.HostPort> hosts) {
        boolean first = true;
        for (PgOptions.HostPort hp : hosts) {
            if (first) {
                b.host(hp.host()).port(hp.port());
                first = false;
            } else {
                b.addHost(hp.host(), hp.port());
            }
        }
    }

    private static void apply(PgOptions.Builder b, String key, String value, String masked) {
        try {
            switch (key) {
                case "sslmode" -> b.sslMode(PgOptions.SslMode.parse(value));
                case "sslrootcert" -> b.sslRootCert(value);
                case "sslcert", "sslkey", "sslpassword" -> b.driverProperty(key, value);
                case "connect_timeout" -> connectTimeout(b, value);
                case "command_timeout" ->
                    b.commandTimeout(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
                case "application_name" -> b.applicationName(value);
                case "options" -> b.serverOptions(value);
                case "target_session_attrs" -> b.targetSessionAttrs(value);
                case "user" -> b.user(value);
                case "password" -> b.password(value);
                case "dbname", "database" -> b.database(value);
                case "pool_size", "max_size" -> b.poolSize(Integer.parseInt(value));
                case "statement_cache_size" -> b.statementCacheSize(Integer.parseInt(value));
                case "pipeline_limit" -> b.pipelineLimit(Integer.parseInt(value));
                default ->
                    throw new IllegalArgumentException("unknown DSN parameter '" + key + "' (known: sslmode,"
                            + " sslrootcert, sslcert, sslkey, sslpassword, connect_timeout, command_timeout,"
                            + " application_name, options, target_session_attrs, host, port, user, password,"
                            + " dbname, passfile, pool_size, statement_cache_size, pipeline_limit)");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "invalid value '" + value + "' for " + key + " in DSN " + masked + ": not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    Secrets.mask(e.getMessage()) + " in the " + key + " parameter of DSN " + masked, e);
        }
    }

    /**
     * Masks the password of a DSN, including one that holds a raw {@code @}, and {@code password=}
     * parameters.
     *
     * @param dsn the DSN
     * @return the DSN with {@code ***} for the password
     */
    public static String mask(String dsn) {
        int scheme = dsn.indexOf("://");
        if (scheme < 0) {
            return Secrets.mask(dsn);
        }
        int start = scheme + 3;
        int at = userInfoEnd(dsn, start);
        String out = dsn;
        if (at >= 0) {
            int colon = dsn.indexOf(':', start);
            if (colon >= 0 && colon < at) {
                out = dsn.substring(0, colon + 1) + "***" + dsn.substring(at);
            }
        }
        return Secrets.mask(out);
    }

    private static String decode(String s, String part, String masked) {
        return UriText.decode(s, part, "DSN", masked);
    }
}
