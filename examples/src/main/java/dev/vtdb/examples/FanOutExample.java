package dev.vtdb.examples;

import dev.vtdb.Database;
import dev.vtdb.Scope;
import dev.vtdb.VtdbException;
import dev.vtdb.mysql.MySql;
import dev.vtdb.mysql.MySqlOptions;
import dev.vtdb.postgres.PgOptions;
import dev.vtdb.postgres.Postgres;
import dev.vtdb.redis.Redis;
import dev.vtdb.redis.RedisClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The article's point, concurrency: fan N queries out across PostgreSQL, MySQL and Redis inside
 * one {@link Scope} with a deadline, and compare the elapsed time with the sum of the parts. Each
 * SQL query sleeps 100 ms on the server, so run one after another they would take about {@code N
 * x 100 ms}; forked they overlap. The scope's deadline bounds every call made inside it: a query
 * still running when it passes is cancelled on the server.
 */
public final class FanOutExample {
    private FanOutExample() {}

    /**
     * What the fan-out measured.
     *
     * @param queries how many queries ran
     * @param elapsed wall-clock time of the whole scope
     * @param sumOfParts the queries' own durations added up
     * @param deadlineStop how long a 5 s query took to fail in a 300 ms scope, or {@code null}
     *     when no SQL server was there or the query did not fail
     */
    public record Outcome(int queries, Duration elapsed, Duration sumOfParts, Duration deadlineStop) {}

    private static List<CompletableFuture<Long>> fanOut(List<Callable<Object>> tasks, Duration deadline) {
        List<CompletableFuture<Long>> parts = new ArrayList<>();
        try (Scope scope = Scope.open(deadline)) {
            for (Callable<Object> task : tasks) {
                parts.add(scope.fork(() -> {
                    long t0 = System.nanoTime();
                    task.call();
                    return System.nanoTime() - t0;
                }));
            }
            scope.join(); // waits for all, up to the deadline; the first failure cancels the rest
        }
        return parts;
    }

    /**
     * Runs {@code perDatabase} queries on each available server at once.
     *
     * @param pg the PostgreSQL target, or {@code null} to leave it out
     * @param my the MySQL target, or {@code null}
     * @param redis the Redis target, or {@code null}
     * @param perDatabase queries per database, 1 to 64
     * @param deadline the scope's deadline
     * @param out where to print
     * @return the measurements
     */
    public static Outcome run(Target pg, Target my, Target redis, int perDatabase, Duration deadline, PrintStream out) {
        if (perDatabase < 1 || perDatabase > 64) {
            throw new IllegalArgumentException("perDatabase must be between 1 and 64 but was " + perDatabase);
        }
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Database pgDb = null;
            Database myDb = null;
            RedisClient r = null;
            if (pg != null) {
                pgDb = Postgres.connect(PgOptions.fromDsn(pg.pgDsn()).toBuilder()
                        .poolSize(perDatabase)
                        .build());
                open.add(pgDb);
            }
            if (my != null) {
                myDb = MySql.connect(MySqlOptions.fromUrl(my.endpoint().url()).toBuilder()
                        .database(my.namespace())
                        .poolSize(perDatabase)
                        .build());
                open.add(myDb);
            }
            if (redis != null) {
                r = Redis.connect(redis.endpoint().url());
                open.add(r);
                r.set(redis.redisPrefix() + "fanout", "琪露诺").join();
            }
            List<Callable<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < perDatabase; i++) {
                if (pgDb != null) {
                    Database db = pgDb;
                    tasks.add(() -> db.fetchValue("select (select count(*) from girl) from pg_sleep(0.1)", Long.class)
                            .join());
                }
                if (myDb != null) {
                    Database db = myDb;
                    tasks.add(() -> db.fetchValue("select (select count(*) from girl) + sleep(0.1)", Long.class)
                            .join());
                }
                if (r != null) {
                    RedisClient client = r;
                    String key = redis.redisPrefix() + "fanout";
                    tasks.add(() -> client.get(key).join());
                }
            }
            fanOut(tasks, deadline); // a first round opens the pools' connections
            long start = System.nanoTime();
            List<CompletableFuture<Long>> parts = fanOut(tasks, deadline);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Duration sum = Duration.ofNanos(
                    parts.stream().mapToLong(CompletableFuture::join).sum());
            out.println("fan-out: " + tasks.size() + " queries (" + (pgDb == null ? 0 : perDatabase) + " PostgreSQL, "
                    + (myDb == null ? 0 : perDatabase) + " MySQL, " + (r == null ? 0 : perDatabase)
                    + " Redis) in one Scope with a " + deadline.toMillis() + " ms deadline");
            out.println(String.format(
                    Locale.ROOT,
                    "elapsed %d ms; sum of the parts %d ms (%.1fx)",
                    elapsed.toMillis(),
                    sum.toMillis(),
                    sum.toNanos() / (double) Math.max(1, elapsed.toNanos())));
            if (r != null) {
                r.del(redis.redisPrefix() + "fanout").join();
            }
            Duration deadlineStop = null;
            Database slow = pgDb != null ? pgDb : myDb;
            if (slow != null) {
                String sleep5 = slow == pgDb ? "select pg_sleep(5)" : "select sleep(5)";
                long t0 = System.nanoTime();
                try (Scope scope = Scope.open(Duration.ofMillis(300))) {
                    scope.fork(() -> slow.fetch(sleep5).join());
                    scope.join();
                    out.println("deadline: the 5 s query finished?!");
                } catch (VtdbException e) {
                    deadlineStop = Duration.ofNanos(System.nanoTime() - t0);
                    out.println("deadline: a 5 s query in a 300 ms scope gave up after "
                            + deadlineStop.toMillis() + " ms with "
                            + e.getClass().getSimpleName() + "; the server stopped it");
                }
            }
            return new Outcome(tasks.size(), elapsed, sum, deadlineStop);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("fan-out failed: " + e, e);
        } finally {
            for (AutoCloseable c : open.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    out.println("could not close " + c + ": " + e);
                }
            }
        }
    }

    /**
     * Runs this section alone: finds the three servers as {@link Walkthrough} does, creates their
     * tables and fans out four queries per database.
     *
     * @param args {@code --pg-url URL}, {@code --mysql-url URL}, {@code --redis-url URL} and/or
     *     {@code --embedded}
     */
    public static void main(String[] args) {
        Walkthrough.runFanOutAlone(args);
    }
}
