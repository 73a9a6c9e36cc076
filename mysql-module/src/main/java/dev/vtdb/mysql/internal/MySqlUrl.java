package dev.vtdb.mysql.internal;

import dev.vtdb.internal.Secrets;
import dev.vtdb.internal.UriText;
import dev.vtdb.mysql.MySqlOptions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/**
 * Parses {@code mysql://[user[:pw]@]host[:port][/db][?k=v&...]}, SQLAlchemy's {@code
 * mysql+pymysql://...} (any {@code +driver} suffix) and {@code mariadb://...}.
 */
public final class MySqlUrl {
    private MySqlUrl() {}

    /**
     * Applies a URL to a builder.
     *
     * @param url the URL
     * @param b the builder to fill
     * @return the builder
     * @throws IllegalArgumentException naming the bad part, password masked
     */
    public static MySqlOptions.Builder parse(String url, MySqlOptions.Builder b) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("URL must not be empty");
        }
        String masked = Secrets.mask(url);
        int sep = url.indexOf("://");
        if (sep < 0) {
            throw new IllegalArgumentException("URL must start with mysql:// or mysql+<driver>:// but was " + masked);
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        int plus = scheme.indexOf('+');
        String base = plus < 0 ? scheme : scheme.substring(0, plus);
        if (!base.equals("mysql") && !base.equals("mariadb")) {
            throw new IllegalArgumentException(
                    "URL must start with mysql://, mysql+<driver>:// or mariadb:// but was " + masked);
        }
        String rest = url.substring(sep + 3);
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
            if (hostPart.contains(",")) {
                throw new IllegalArgumentException("one host only, but the URL names several: " + masked);
            }
            String host = hostPart;
            int c = hostPart.lastIndexOf(':');
            if (hostPart.startsWith("[")) {
                int end = hostPart.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed '[' in the host of URL " + masked);
                }
                host = hostPart.substring(1, end);
                c = hostPart.indexOf(':', end);
            } else if (c >= 0) {
                host = hostPart.substring(0, c);
            }
            if (c >= 0) {
                String p = hostPart.substring(c + 1);
                try {
                    b.port(Integer.parseInt(p));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid port '" + p + "' in URL " + masked);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " (URL " + masked + ")", e);
                }
            }
            host = decode(host, "host", masked);
            if (!host.isEmpty()) {
                b.host(host);
            }
        }
        if (query != null && !query.isEmpty()) {
            for (String kv : query.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "invalid query parameter '" + Secrets.mask(kv) + "' in URL " + masked);
                }
                String key = decode(kv.substring(0, eq), "parameter", masked);
                String value = decode(kv.substring(eq + 1), key, masked);
                apply(b, key.toLowerCase(Locale.ROOT), value, masked);
            }
        }
        return b;
    }

    private static void apply(MySqlOptions.Builder b, String key, String value, String masked) {
        try {
            switch (key) {
                case "connect_timeout" -> b.connectTimeout(seconds(value));
                case "command_timeout" -> b.commandTimeout(seconds(value));
                case "charset" -> b.charset(value);
                case "collation" -> b.collation(value);
                case "ssl_mode", "sslmode", "ssl-mode" -> b.sslMode(MySqlOptions.SslMode.parse(value));
                case "ssl_ca" -> b.trustStore(value, null, null);
                case "time_zone" -> b.timeZone(ZoneId.of(value));
                case "allow_public_key_retrieval" -> b.allowPublicKeyRetrieval(bool(key, value));
                case "application_name", "program_name" -> b.applicationName(value);
                case "pool_size", "maxsize" -> b.poolSize(Integer.parseInt(value));
                case "minsize" -> {
                    // aiomysql's connections opened up front: vtdb's workers open theirs on first
                    // use and keep the busy ones warm, so the value is checked and not needed
                    if (Integer.parseInt(value) < 0) {
                        throw new IllegalArgumentException("URL parameter minsize must be >= 0, was " + value);
                    }
                }
                case "pipeline_limit" -> b.pipelineLimit(Integer.parseInt(value));
                case "user" -> b.user(value);
                case "password" -> b.password(value);
                case "db", "database" -> b.database(value);
                case "host" -> b.host(value);
                case "port" -> b.port(Integer.parseInt(value));
                default ->
                    throw new IllegalArgumentException("unknown URL parameter '" + key + "'; known: connect_timeout,"
                            + " command_timeout, charset, collation, ssl_mode, ssl_ca, time_zone,"
                            + " allow_public_key_retrieval, application_name, pool_size (maxsize), minsize, user, password, db,"
                            + " host,"
                            + " port");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "invalid value for " + key + " in URL " + masked + ": '" + value + "' is not a number");
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(
                    "invalid value for " + key + " in URL " + masked + ": '" + value + "' is not a time zone");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (URL " + masked + ")", e);
        }
    }

    private static Duration seconds(String value) {
        double s = Double.parseDouble(value);
        return Duration.ofMillis((long) (s * 1000));
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false but was '" + value + "'");
        };
    }

    private static String decode(String s, String part, String masked) {
        return UriText.decode(s, part, "URL", masked);
    }
}
