package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.TxOptions;
import dev.vtdb.VtdbException;
import dev.vtdb.testkit.PrivatePostgres;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Reliability under load and faults against PostgreSQL: cancellation storm, money transfers with
 * an invariant, and a server restart with calls in flight (on a private server). Each scenario
 * prints one {@code RELIABILITY} line with its figures (collected in docs/RELIABILITY.md).
 */
class PgReliabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Outcome counts of a batch of calls. */
    private record Outcome(int completed, int failedCleanly, int hung) {}

    private static Outcome settle(List<? extends CompletableFuture<?>> calls) {
        int completed = 0;
        int failed = 0;
        int hung = 0;
        for (CompletableFuture<?> c : calls) {
            try {
                c.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                completed++;
            } catch (CancellationException | ExecutionException e) {
                failed++;
            } catch (TimeoutException e) {
                hung++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return new Outcome(completed, failed, hung);
    }

    private static void report(String scenario, String load, String faults, Outcome o, long lost, long leaked) {
        System.out.printf(
                "RELIABILITY | postgres | %s | %s | %s | %d / %d / %d | %d | %d%n",
                scenario, load, faults, o.completed(), o.failedCleanly(), o.hung(), lost, leaked);
    }

    @Test
    void cancellationStormLeavesNoTraceButCommittedRows() {
        String app = "vtdb-storm-" + System.nanoTime();
        try (PgDatabase db = Postgres.connect(PgOptions.fromDsn(TestServers.postgresUrl()).toBuilder()
                .poolSize(8)
                .applicationName(app)
                .build())) {
            db.execute("DROP TABLE IF EXISTS vtdb_storm").join();
            db.execute("CREATE TABLE vtdb_storm (id int NOT NULL, payload text)")
                    .join();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<CompletableFuture<ExecResult>> calls = new ArrayList<>();
            List<CompletableFuture<ExecResult>> toCancel = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                int id = i;
                CompletableFuture<ExecResult> f = i % 3 == 0
                        ? db.inTransaction(s -> {
                            s.execute("INSERT INTO vtdb_storm VALUES ($1, $2)", id, "tx");
                            return s.execute("SELECT pg_sleep(0.001)");
                        })
                        : db.execute("INSERT INTO vtdb_storm VALUES ($1, $2)", id, "auto");
                calls.add(f);
                if (random.nextBoolean()) {
                    toCancel.add(f);
                }
                if (i % 50 == 0 && !toCancel.isEmpty()) {
                    // cancel at a random moment: some still queued, some running, some done
                    toCancel.remove(random.nextInt(toCancel.size())).cancel(true);
                }
            }
            toCancel.forEach(f -> f.cancel(true));
            Outcome outcome = settle(calls);
            assertThat(outcome.hung()).isZero();
            assertThat(db.awaitIdle(WAIT)).isTrue();
            assertThat(db.stats().active()).isZero();
            assertThat(db.stats().waiting()).isZero();

            Set<Integer> succeeded = new HashSet<>();
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).isDone() && !calls.get(i).isCompletedExceptionally()) {
                    succeeded.add(i);
                }
            }
            Row counts = db.fetchRow(
                            "SELECT count(*) AS n, count(DISTINCT id) AS d, coalesce(sum(id), 0) AS s FROM vtdb_storm")
                    .join()
                    .orElseThrow();
            assertThat(counts.getLong("n")).as("no row twice").isEqualTo(counts.getLong("d"));
            long missing = db.fetchValue(
                            "SELECT count(*) FROM unnest($1::int[]) AS want(id) WHERE NOT EXISTS"
                                    + " (SELECT 1 FROM vtdb_storm s WHERE s.id = want.id)",
                            Long.class,
                            (Object) succeeded.toArray(Integer[]::new))
                    .join();
            assertThat(missing).as("every acknowledged row is present").isZero();
            long stuck = db.fetchValue(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
                                    + " AND (state = 'idle in transaction' OR (state = 'active' AND pid <> pg_backend_pid()))",
                            Long.class,
                            app)
                    .join();
            assertThat(stuck)
                    .as("no backend left idle in transaction or running")
                    .isZero();
            report(
                    "cancellation storm",
                    "10,000 calls, pool 8",
                    "~50% cancelled at random moments",
                    outcome,
                    missing,
                    stuck);
            db.execute("DROP TABLE vtdb_storm").join();
        }
    }

    @Test
    void concurrentTransfersKeepTheTotal() {
        try (PgDatabase db = Postgres.connect(PgOptions.fromDsn(TestServers.postgresUrl()).toBuilder()
                .poolSize(8)
                .build())) {
            db.execute("DROP TABLE IF EXISTS vtdb_accounts").join();
            db.execute("CREATE TABLE vtdb_accounts (id int PRIMARY KEY, balance bigint NOT NULL)")
                    .join();
            List<List<?>> accounts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                accounts.add(List.of(i, 1_000L));
            }
            db.executeMany("INSERT INTO vtdb_accounts VALUES ($1, $2)", accounts)
                    .join();
            TxOptions opts = TxOptions.builder()
                    .isolation(TxOptions.Isolation.REPEATABLE_READ)
                    .retries(50)
                    .backoff(Duration.ofMillis(1))
                    .build();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<CompletableFuture<Object>> transfers = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int from = random.nextInt(100);
                int to = (from + 1 + random.nextInt(99)) % 100;
                long amount = 1 + random.nextInt(50);
                transfers.add(db.withTimeout(Duration.ofSeconds(60)).inTransaction(opts, s -> {
                    s.execute("UPDATE vtdb_accounts SET balance = balance - $1 WHERE id = $2", amount, from);
                    s.execute("UPDATE vtdb_accounts SET balance = balance + $1 WHERE id = $2", amount, to);
                    return null;
                }));
            }
            Outcome outcome = settle(transfers);
            assertThat(outcome.hung()).isZero();
            assertThat(outcome.completed())
                    .as("every transfer committed after retries")
                    .isEqualTo(2_000);
            long total = db.fetchValue("SELECT sum(balance) FROM vtdb_accounts", Long.class)
                    .join();
            assertThat(total).isEqualTo(100_000L);
            assertThat(db.awaitIdle(WAIT)).isTrue();
            report(
                    "transfers with invariant",
                    "2,000 concurrent transfers, 100 accounts, pool 8",
                    "serialization failures and deadlocks, retried",
                    outcome,
                    100_000L - total,
                    db.stats().active());
            db.execute("DROP TABLE vtdb_accounts").join();
        }
    }

    @Test
    void serverRestartWith200CallsInFlightFailsCleanlyAndRecovers() {
        try (PrivatePostgres server = PrivatePostgres.start();
                PgDatabase db = Postgres.connect(PgOptions.fromDsn(server.url()).toBuilder()
                        .poolSize(8)
                        .connectTimeout(Duration.ofSeconds(5))
                        .commandTimeout(Duration.ofSeconds(20))
                        .build())) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1);
            List<CompletableFuture<List<Row>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(db.fetch("SELECT pg_sleep(0.05), $1::int AS n", i));
            }
            server.stopServer("fast");
            server.startServer();
            Outcome outcome = settle(calls);
            assertThat(outcome.hung()).isZero();
            for (CompletableFuture<List<Row>> c : calls) {
                if (c.isCompletedExceptionally()) {
                    Throwable t = c.handle((v, e) -> e).join();
                    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    assertThat(cause)
                            .isInstanceOfAny(
                                    ConnectionLostException.class,
                                    DeadlineExceededException.class,
                                    VtdbException.class);
                }
            }
            assertThat(db.fetchValue("SELECT 2", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(2);
            assertThat(db.awaitIdle(WAIT)).isTrue();
            report(
                    "server restart",
                    "200 calls in flight, pool 8",
                    "pg_ctl stop -m fast + start",
                    outcome,
                    0,
                    db.stats().active());
        }
    }
}
