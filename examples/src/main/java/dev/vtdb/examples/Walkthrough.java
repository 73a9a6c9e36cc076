package dev.vtdb.examples;

import dev.vtdb.BatchResult;
import dev.vtdb.ConnectionLostException;
import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The seed article, "Asynchronous Database Operations in Python with aiomysql, asyncpg, and
 * SQLAlchemy", run section by section in Java, printing what the article prints in the same order,
 * then a concurrent fan-out across the three databases.
 *
 * <p>Servers: {@code --pg-url}, {@code --mysql-url}, {@code --redis-url} (or {@code VTDB_PG_URL},
 * {@code VTDB_MYSQL_URL}, {@code VTDB_REDIS_URL}), else a server on the default local port, else
 * an embedded one; {@code --embedded} skips the local ports. A database that cannot be had is
 * reported in one line and its sections are skipped. Everything happens in the PostgreSQL schema,
 * MySQL database and Redis key prefix (as {@code vtdb:<name>:}) named {@code
 * vtdb_walkthrough_<pid>}, created at the start and dropped at the end, so walkthroughs running at
 * once on the same servers do not meet; the article's table is {@code girl} in each.
 */
public final class Walkthrough {
    /** The sections' titles, by number; the fan-out is the last. */
    private static final List<String> TITLES = List.of(
            "",
            "MySQL: aiomysql.sa engine, acquire, fetchone as a dict",
            "MySQL: reflected Table, insert in a transaction, lastrowid/rowcount, fetchall, update, delete",
            "PostgreSQL: asyncpg.connect by keywords with timeout, fetchrow, fetch",
            "PostgreSQL: Record access, get with a default, keys, values, items, dict",
            "PostgreSQL: execute with $1, $2, $3",
            "PostgreSQL: executemany of two rows",
            "PostgreSQL: Select from text fragments, str(sql), fetch",
            "Redis: create, read, update, delete of a key and a hash",
            "All three at once: N queries in one Scope with a deadline");

    private static final int FAN_OUT = TITLES.size() - 1;

    private Walkthrough() {}

    /**
     * What the walkthrough read and wrote, for checks; a component is {@code null} when its section
     * did not run.
     *
     * @param servers the servers used, by kind (an embedded one is stopped by the time this returns)
     * @param mysqlFetchOne section 1's row
     * @param mysqlTable section 2's outcome
     * @param pgFetch section 3's rows
     * @param pgRecord section 4's row
     * @param pgExecute section 5's result
     * @param pgExecuteMany section 6's result
     * @param pgSelect section 7's rows
     * @param redis section 8's outcome
     * @param fanOut section 9's measurements
     * @param skipped one line per section skipped because its server could not be had
     * @param failures one line per section that failed on a server it had
     */
    public record Result(
            Map<Kind, Endpoint> servers,
            Row mysqlFetchOne,
            MySqlTableExample.Outcome mysqlTable,
            List<Row> pgFetch,
            Row pgRecord,
            ExecResult pgExecute,
            BatchResult pgExecuteMany,
            List<Map<String, Object>> pgSelect,
            RedisExample.Outcome redis,
            FanOutExample.Outcome fanOut,
            List<String> skipped,
            List<String> failures) {}

    /**
     * Runs the whole walkthrough, leaving its tables and keys in place for checks.
     *
     * @param options which servers to use
     * @param namespace the schema / database / key prefix to work in (recreated)
     * @param out where to print
     * @return what was read and written
     */
    public static Result run(Servers.Options options, String namespace, PrintStream out) {
        return run(options, namespace, false, out);
    }

    /**
     * Runs the whole walkthrough.
     *
     * @param options which servers to use
     * @param namespace the schema / database / key prefix to work in (recreated at the start)
     * @param dropAtEnd whether to drop the namespace's schema, database and keys at the end
     * @param out where to print
     * @return what was read and written
     */
    static Result run(Servers.Options options, String namespace, boolean dropAtEnd, PrintStream out) {
        out.println("# vtdb walkthrough: the article's Python, section by section, in Java");
        try (Servers servers = Servers.start(options, out)) {
            Runner run = new Runner(servers, namespace, out);
            run.announce(dropAtEnd);
            for (Kind k : Kind.values()) {
                run.setUp(k, fixture(k));
            }

            Row fetchOne = run.section(1, Kind.MYSQL, MySqlEngineExample::run);
            MySqlTableExample.Outcome table = run.section(2, Kind.MYSQL, MySqlTableExample::run);
            List<Row> fetch = run.section(3, Kind.POSTGRES, PgConnectExample::run);
            Row record = run.section(4, Kind.POSTGRES, PgRecordExample::run);
            ExecResult execute = run.section(5, Kind.POSTGRES, PgExecuteExample::run);
            BatchResult many = run.section(6, Kind.POSTGRES, PgExecuteManyExample::run);
            List<Map<String, Object>> select = run.section(7, Kind.POSTGRES, PgSelectExample::run);
            RedisExample.Outcome redis = run.section(8, Kind.REDIS, RedisExample::run);
            FanOutExample.Outcome fanOut = run.fanOut(FAN_OUT);
            if (dropAtEnd) {
                for (Kind k : Kind.values()) {
                    run.tearDown(k, dropper(k));
                }
            }
            run.printSummary();
            return new Result(
                    run.endpoints(),
                    fetchOne,
                    table,
                    fetch,
                    record,
                    execute,
                    many,
                    select,
                    redis,
                    fanOut,
                    List.copyOf(run.skipped),
                    List.copyOf(run.failures));
        }
    }

    /**
     * Runs the walkthrough, printing UTF-8 to standard output. Exits with 0 when every section that
     * had its server ran, even if some were skipped because a server could not be had (the summary
     * line names them); with 1 when a section failed on its server; with 2 on a bad argument.
     *
     * @param args {@code --pg-url URL}, {@code --mysql-url URL}, {@code --redis-url URL}, {@code
     *     --embedded}
     */
    public static void main(String[] args) {
        PrintStream out = utf8Stdout();
        Result result;
        try {
            result = run(Servers.Options.parse(Arrays.asList(args), System.getenv()), Target.runNamespace(), true, out);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.flush();
            System.exit(2);
            return;
        }
        out.flush();
        System.exit(result.failures().isEmpty() ? 0 : 1);
    }

    /**
     * Runs one section alone, as that section's {@code main} does: finds only the server it needs,
     * recreates the table, runs the section; exits as {@link #main} does.
     *
     * @param args the command line
     * @param number the section's number in the walkthrough
     * @param kind the database the section needs
     * @param section the section
     */
    static void runAlone(String[] args, int number, Kind kind, BiFunction<Target, PrintStream, ?> section) {
        PrintStream out = utf8Stdout();
        Servers.Options options = optionsOrExit(args, out);
        int status;
        try (Servers servers = Servers.start(options, EnumSet.of(kind), out)) {
            Runner run = new Runner(servers, Target.runNamespace(), out);
            run.announce(true);
            run.setUp(kind, fixture(kind));
            run.section(number, kind, section);
            run.tearDown(kind, dropper(kind));
            run.printSummary();
            status = run.failures.isEmpty() ? 0 : 1;
        }
        out.flush();
        System.exit(status);
    }

    /**
     * Runs the fan-out section alone, as {@link FanOutExample#main} does: all three servers, their
     * tables, then the fan-out; exits as {@link #main} does.
     *
     * @param args the command line
     */
    static void runFanOutAlone(String[] args) {
        PrintStream out = utf8Stdout();
        Servers.Options options = optionsOrExit(args, out);
        int status;
        try (Servers servers = Servers.start(options, out)) {
            Runner run = new Runner(servers, Target.runNamespace(), out);
            run.announce(true);
            for (Kind k : Kind.values()) {
                run.setUp(k, fixture(k));
            }
            run.fanOut(FAN_OUT);
            for (Kind k : Kind.values()) {
                run.tearDown(k, dropper(k));
            }
            run.printSummary();
            status = run.failures.isEmpty() ? 0 : 1;
        }
        out.flush();
        System.exit(status);
    }

    /** Parses the command line and environment; on a bad flag or URL prints why and exits with 2. */
    private static Servers.Options optionsOrExit(String[] args, PrintStream out) {
        try {
            return Servers.Options.parse(Arrays.asList(args), System.getenv());
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.flush();
            System.exit(2);
            throw e; // not reached
        }
    }

    private static Consumer<Target> dropper(Kind kind) {
        return switch (kind) {
            case POSTGRES -> Fixtures::dropPostgres;
            case MYSQL -> Fixtures::dropMysql;
            case REDIS -> Fixtures::redis;
        };
    }

    private static Consumer<Target> fixture(Kind kind) {
        return switch (kind) {
            case POSTGRES -> Fixtures::postgres;
            case MYSQL -> Fixtures::mysql;
            case REDIS -> Fixtures::redis;
        };
    }

    /**
     * Returns standard output as a UTF-8 print stream, whatever the platform's default charset, so
     * the article's Chinese text prints intact.
     *
     * @return a UTF-8 stream on file descriptor 1
     */
    static PrintStream utf8Stdout() {
        return new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    }

    private static final class Runner {
        private final Servers servers;
        private final String namespace;
        private final PrintStream out;
        private final List<String> skipped = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private final List<Kind> broken = new ArrayList<>();
        private final List<Kind> unreachable = new ArrayList<>();

        Runner(Servers servers, String namespace, PrintStream out) {
            this.servers = servers;
            this.namespace = namespace;
            this.out = out;
        }

        Map<Kind, Endpoint> endpoints() {
            Map<Kind, Endpoint> map = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                servers.get(k).ifPresent(ep -> map.put(k, ep));
            }
            return map;
        }

        Target target(Kind kind) {
            if (broken.contains(kind)) {
                return null;
            }
            return servers.get(kind).map(ep -> new Target(ep, namespace)).orElse(null);
        }

        void setUp(Kind kind, Consumer<Target> fixture) {
            Target t = target(kind);
            if (t == null) {
                return;
            }
            try {
                fixture.accept(t);
            } catch (RuntimeException e) {
                broken.add(kind);
                if (unreachable(e)) {
                    unreachable.add(kind);
                }
                out.println("# " + kind.title() + ": could not set up the walkthrough's data at "
                        + t.endpoint().redactedUrl() + ", skipping its sections - " + describe(e));
            }
        }

        void announce(boolean dropAtEnd) {
            List<String> places = new ArrayList<>();
            servers.get(Kind.POSTGRES).ifPresent(ep -> places.add("PostgreSQL schema"));
            servers.get(Kind.MYSQL).ifPresent(ep -> places.add("MySQL database"));
            servers.get(Kind.REDIS).ifPresent(ep -> places.add("Redis keys vtdb:" + namespace + ":*"));
            if (!places.isEmpty()) {
                out.println("# working in " + namespace + ": " + String.join(", ", places)
                        + (dropAtEnd ? " (created now, dropped at the end)" : " (recreated now)"));
            }
        }

        /** Drops what the set-up made on a server it reached; a failure is one line and counts. */
        void tearDown(Kind kind, Consumer<Target> drop) {
            Endpoint ep = servers.get(kind).orElse(null);
            if (ep == null || unreachable.contains(kind)) {
                return;
            }
            try {
                drop.accept(new Target(ep, namespace));
            } catch (RuntimeException e) {
                String why = "could not drop " + namespace + " on " + kind.title() + ": " + describe(e);
                out.println("(" + why + ")");
                failures.add(why);
            }
        }

        /**
         * Tells whether a failure says the server could not be reached or would not let us in (a
         * server that cannot be had), as opposed to one that answered and refused what we asked.
         */
        private static boolean unreachable(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ConnectionLostException
                        || t instanceof java.net.ConnectException
                        || t instanceof java.net.UnknownHostException
                        || t instanceof java.net.NoRouteToHostException
                        || t instanceof java.net.SocketTimeoutException) {
                    return true;
                }
                if (t instanceof SQLException sql
                        && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("08")
                                || sql.getSQLState().startsWith("28"))) {
                    return true;
                }
            }
            return false;
        }

        /** Notes a section that did not run, as skipped when its server could not be had. */
        private void notRun(int number, Kind kind) {
            if (servers.get(kind).isEmpty() || unreachable.contains(kind)) {
                skipped.add("section " + number + " (" + kind.title() + ")");
                out.println("(section " + number + " skipped: no " + kind.title() + " server)");
            } else {
                String why = "section " + number + " not run: the " + kind.title() + " data could not be set up";
                failures.add(why);
                out.println("(" + why + ")");
            }
        }

        void printSummary() {
            out.println();
            if (!failures.isEmpty()) {
                out.println("# done, with " + failures.size() + " section(s) failed: " + failures
                        + (skipped.isEmpty() ? "" : "; skipped for want of a server: " + skipped));
            } else if (!skipped.isEmpty()) {
                out.println("# done: every section with a server ran; skipped for want of a server: "
                        + String.join(", ", skipped));
            } else {
                out.println("# done: every section ran");
            }
        }

        <T> T section(int number, Kind kind, BiFunction<Target, PrintStream, T> body) {
            out.println();
            Target t = target(kind);
            out.println("== " + number + ". " + TITLES.get(number)
                    + (t == null ? "" : "  [" + t.endpoint().redactedUrl() + "]"));
            if (t == null) {
                notRun(number, kind);
                return null;
            }
            return guard(number, () -> body.apply(t, out));
        }

        FanOutExample.Outcome fanOut(int number) {
            out.println();
            out.println("== " + number + ". " + TITLES.get(number));
            Target pg = target(Kind.POSTGRES);
            Target my = target(Kind.MYSQL);
            Target redis = target(Kind.REDIS);
            if (pg == null && my == null && redis == null) {
                skipped.add("section " + number + " (no server at all)");
                out.println("(section " + number + " skipped: no server at all)");
                return null;
            }
            return guard(number, () -> FanOutExample.run(pg, my, redis, 4, Duration.ofSeconds(10), out));
        }

        private <T> T guard(int number, java.util.function.Supplier<T> body) {
            try {
                return body.get();
            } catch (RuntimeException e) {
                String why = "section " + number + " failed: " + describe(e);
                out.println("(" + why + ")");
                failures.add(why);
                return null;
            }
        }

        private static String describe(Throwable e) {
            Throwable t = e;
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            String text = Endpoint.redact(String.valueOf(t));
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl) + " ...";
        }
    }
}
