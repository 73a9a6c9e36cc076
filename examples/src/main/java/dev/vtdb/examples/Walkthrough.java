package dev.vtdb.examples;

import dev.vtdb.BatchResult;
import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * The seed article, "Asynchronous Database Operations in Python with aiomysql, asyncpg, and
 * SQLAlchemy", run section by section in Java, printing what the article prints in the same order,
 * then a concurrent fan-out across the three databases.
 *
 * <p>Servers: {@code --pg-url}, {@code --mysql-url}, {@code --redis-url} (or {@code VTDB_PG_URL},
 * {@code VTDB_MYSQL_URL}, {@code VTDB_REDIS_URL}), else a server on the default local port, else
 * an embedded one; {@code --embedded} skips the local ports. A database that cannot be had is
 * reported in one line and its sections are skipped. Everything happens in PostgreSQL schema,
 * MySQL database and Redis key prefix {@code vtdb_walkthrough}, recreated at the start.
 */
public final class Walkthrough {
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
     * @param failures one line per section that failed or was skipped for want of a server
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
            List<String> failures) {}

    /**
     * Runs the whole walkthrough.
     *
     * @param options which servers to use
     * @param namespace the schema / database / key prefix to work in (recreated)
     * @param out where to print
     * @return what was read and written
     */
    public static Result run(Servers.Options options, String namespace, PrintStream out) {
        out.println("# vtdb walkthrough: the article's Python, section by section, in Java");
        try (Servers servers = Servers.start(options, out)) {
            Runner run = new Runner(servers, namespace, out);
            run.setUp(Kind.POSTGRES, Fixtures::postgres);
            run.setUp(Kind.MYSQL, Fixtures::mysql);
            run.setUp(Kind.REDIS, Fixtures::redis);

            Row fetchOne = run.section(
                    1, "MySQL: aiomysql.sa engine, acquire, fetchone as a dict", Kind.MYSQL, MySqlEngineExample::run);
            MySqlTableExample.Outcome table = run.section(
                    2,
                    "MySQL: reflected Table, insert in a transaction, lastrowid/rowcount, fetchall, update, delete",
                    Kind.MYSQL,
                    MySqlTableExample::run);
            List<Row> fetch = run.section(
                    3,
                    "PostgreSQL: asyncpg.connect by keywords with timeout, fetchrow, fetch",
                    Kind.POSTGRES,
                    PgConnectExample::run);
            Row record = run.section(
                    4,
                    "PostgreSQL: Record access, get with a default, keys, values, items, dict",
                    Kind.POSTGRES,
                    PgRecordExample::run);
            ExecResult execute =
                    run.section(5, "PostgreSQL: execute with $1, $2, $3", Kind.POSTGRES, PgExecuteExample::run);
            BatchResult many =
                    run.section(6, "PostgreSQL: executemany of two rows", Kind.POSTGRES, PgExecuteManyExample::run);
            List<Map<String, Object>> select = run.section(
                    7, "PostgreSQL: Select from text fragments, str(sql), fetch", Kind.POSTGRES, PgSelectExample::run);
            RedisExample.Outcome redis = run.section(
                    8, "Redis: create, read, update, delete of a key and a hash", Kind.REDIS, RedisExample::run);
            FanOutExample.Outcome fanOut = run.fanOut(9, "All three at once: N queries in one Scope with a deadline");
            out.println();
            out.println(
                    run.failures.isEmpty()
                            ? "# done: every section ran"
                            : "# done, with " + run.failures.size() + " section(s) not run: " + run.failures);
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
                    List.copyOf(run.failures));
        }
    }

    /**
     * Runs the walkthrough, printing UTF-8 to standard output; exits with 1 when a section failed.
     *
     * @param args {@code --pg-url URL}, {@code --mysql-url URL}, {@code --redis-url URL}, {@code
     *     --embedded}
     */
    public static void main(String[] args) {
        PrintStream out = utf8Stdout();
        Result result;
        try {
            result = run(Servers.Options.parse(Arrays.asList(args), System.getenv()), Target.DEFAULT_NAMESPACE, out);
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
     * Runs one section alone, as that section's {@code main} does: finds the server, recreates the
     * table, runs the section.
     *
     * @param args the command line
     * @param kind the database the section needs
     * @param section the section
     */
    static void runAlone(String[] args, Kind kind, BiFunction<Target, PrintStream, ?> section) {
        PrintStream out = utf8Stdout();
        int status;
        try (Servers servers = Servers.start(Servers.Options.parse(Arrays.asList(args), System.getenv()), out)) {
            Runner run = new Runner(servers, Target.DEFAULT_NAMESPACE, out);
            run.setUp(
                    kind,
                    switch (kind) {
                        case POSTGRES -> Fixtures::postgres;
                        case MYSQL -> Fixtures::mysql;
                        case REDIS -> Fixtures::redis;
                    });
            run.section(0, kind.title(), kind, section);
            status = run.failures.isEmpty() ? 0 : 1;
        }
        out.flush();
        System.exit(status);
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
        private final List<String> failures = new ArrayList<>();
        private final List<Kind> broken = new ArrayList<>();

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

        void setUp(Kind kind, java.util.function.Consumer<Target> fixture) {
            Target t = target(kind);
            if (t == null) {
                return;
            }
            try {
                fixture.accept(t);
            } catch (RuntimeException e) {
                broken.add(kind);
                out.println("# " + kind.title() + ": could not set up the walkthrough's data at "
                        + t.endpoint().redactedUrl() + ", skipping its sections - " + describe(e));
            }
        }

        <T> T section(int number, String title, Kind kind, BiFunction<Target, PrintStream, T> body) {
            out.println();
            Target t = target(kind);
            out.println("== " + (number > 0 ? number + ". " : "") + title
                    + (t == null ? "" : "  [" + t.endpoint().redactedUrl() + "]"));
            if (t == null) {
                String why = "section " + number + " skipped: no " + kind.title() + " server";
                out.println("(" + why + ")");
                failures.add(why);
                return null;
            }
            return guard(number, () -> body.apply(t, out));
        }

        FanOutExample.Outcome fanOut(int number, String title) {
            out.println();
            out.println("== " + number + ". " + title);
            Target pg = target(Kind.POSTGRES);
            Target my = target(Kind.MYSQL);
            Target redis = target(Kind.REDIS);
            if (pg == null && my == null && redis == null) {
                String why = "section " + number + " skipped: no server at all";
                out.println("(" + why + ")");
                failures.add(why);
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
