package dev.vtdb.examples;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A server plus the namespace the examples work in there, so they never touch anything else: the
 * PostgreSQL schema, the MySQL database and the Redis key prefix all carry the namespace.
 *
 * @param endpoint the server
 * @param namespace a lower-case identifier such as {@code vtdb_walkthrough}
 */
public record Target(Endpoint endpoint, String namespace) {
    /**
     * The start of the namespace {@link Walkthrough} works in; a run adds its process id (see
     * {@link #runNamespace()}).
     */
    public static final String DEFAULT_NAMESPACE = "vtdb_walkthrough";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

    /** Validates the namespace: it becomes part of SQL identifiers. */
    public Target {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!IDENTIFIER.matcher(namespace).matches()) {
            throw new IllegalArgumentException(
                    "namespace must match " + IDENTIFIER.pattern() + " but was '" + namespace + "'");
        }
    }

    /**
     * Returns this process's own namespace, {@code vtdb_walkthrough_<pid>}: two walkthroughs
     * running at once against the same servers each recreate and drop only their own schema,
     * database and key prefix, so neither sees the other's rows.
     *
     * @return the namespace
     */
    public static String runNamespace() {
        return DEFAULT_NAMESPACE + "_" + ProcessHandle.current().pid();
    }

    /**
     * Returns an asyncpg-style DSN of the PostgreSQL server whose {@code search_path} is the
     * namespace's schema, so {@code select * from girl} finds the walkthrough's table.
     *
     * @return the DSN (it holds the password, if any: do not print it)
     */
    public String pgDsn() {
        String base = endpoint.url();
        String sep = base.contains("?") ? "&" : "?";
        return base + sep + "options="
                + URLEncoder.encode(pgServerOptions(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Returns libpq's {@code options} value that makes the namespace's schema the search path.
     *
     * @return {@code -c search_path=<namespace>}
     */
    public String pgServerOptions() {
        return "-c search_path=" + namespace;
    }

    /**
     * Returns the Redis key prefix, {@code vtdb:<namespace>:}.
     *
     * @return the prefix
     */
    public String redisPrefix() {
        return "vtdb:" + namespace + ":";
    }
}
