package dev.vtdb.postgres.internal;

import dev.vtdb.internal.Secrets;
import dev.vtdb.postgres.PgOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Parses asyncpg/libpq URIs: {@code postgres[ql]://[user[:pw]@][host[:port][,...]][/db][?k=v&...]}. */
public final class PgDsn {
    private PgDsn() {}

    /**
     * Applies a DSN to a builder.
     *
     * @param dsn the DSN
     * @param b the builder to fill
     * @return the builder
     * @throws IllegalArgumentException naming the bad part, password masked
     */
    public static PgOptions.Builder parse(String dsn, PgOptions.Builder b) {
        if (dsn == null || dsn.isBlank()) {
            throw new IllegalArgumentException("DSN must not be empty");
        }
        String masked = Secrets.mask(dsn);
        String rest;
        if (dsn.startsWith("postgresql://")) {
            rest = dsn.substring("postgresql://".length());
        } else if (dsn.startsWith("postgres://")) {
            rest = dsn.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("DSN must start with postgres:// or postgresql:// but was " + masked);
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                b.user(decode(userInfo.substring(0, colon), "user", masked));
                b.password(decode(userInfo.substring(colon + 1), "password", masked));
            } else if (!userInfo.isEmpty()) {
                b.user(decode(userInfo, "user", masked));
            }
        }
        int slash = rest.indexOf('/');
        String hostPart = slash >= 0 ? rest.substring(0, slash) : rest;
        if (slash >= 0 && slash + 1 < rest.length()) {
            b.database(decode(rest.substring(slash + 1), "database", masked));
        }
        if (!hostPart.isEmpty()) {
            boolean first = true;
            for (String hp : hostPart.split(",")) {
                String host = hp;
                int port = 5432;
                int c = hp.lastIndexOf(':');
                if (hp.startsWith("[")) {
                    int end = hp.indexOf(']');
                    host = hp.substring(1, end);
                    c = hp.indexOf(':', end);
                } else if (c >= 0) {
                    host = hp.substring(0, c);
                }
                if (c >= 0) {
                    String p = hp.substring(c + 1);
                    try {
                        port = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("invalid port '" + p + "' in DSN " + masked);
                    }
                }
                host = decode(host, "host", masked);
                if (first) {
                    b.host(host.isEmpty() ? "localhost" : host).port(port);
                    first = false;
                } else {
                    b.addHost(host, port);
                }
            }
        }
        if (query != null && !query.isEmpty()) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "invalid query parameter '" + Secrets.mask(kv) + "' in DSN " + masked);
                }
                String key = decode(kv.substring(0, eq), "parameter", masked);
                String value = decode(kv.substring(eq + 1), key, masked);
                apply(b, key, value, masked);
            }
        }
        return b;
    }

    private static void apply(PgOptions.Builder b, String key, String value, String masked) {
        try {
            switch (key) {
                case "sslmode" -> b.sslMode(PgOptions.SslMode.parse(value));
                case "sslrootcert" -> b.sslRootCert(value);
                case "connect_timeout" -> b.connectTimeout(Duration.ofSeconds(Long.parseLong(value)));
                case "command_timeout" ->
                    b.commandTimeout(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
                case "application_name" -> b.applicationName(value);
                case "options" -> b.serverOptions(value);
                case "target_session_attrs" -> b.targetSessionAttrs(value);
                case "user" -> b.user(value);
                case "password" -> b.password(value);
                case "dbname", "database" -> b.database(value);
                case "host" -> b.host(value);
                case "port" -> b.port(Integer.parseInt(value));
                case "pool_size", "max_size" -> b.poolSize(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("unknown DSN parameter '" + key + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for " + key + " in DSN " + masked + ": not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (DSN " + masked + ")", e);
        }
    }

    private static String decode(String s, String part, String masked) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid percent-encoding in the " + part + " of DSN " + masked);
        }
    }
}
