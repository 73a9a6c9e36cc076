package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.testkit.PipelineContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads of one statement queued behind each other share a round trip (PgOptions.pipelineLimit):
 * each caller still gets its own rows, its own error, its own cancel and deadline (the scenarios
 * of {@link PipelineContract}, and PostgreSQL's own below). Every test parks the only worker of a
 * one-connection database on a latch, queues the reads behind it, then lets the worker go, so the
 * reads are queued together when the worker takes them.
 */
class PgPipelineIT extends PgITBase implements PipelineContract {
    private static final String TX = "SELECT $1::int AS n, txid_current() AS tx";
    /** Sleeps 30 s for n = 3 only; its column name finds it in pg_stat_activity. */
    private static final String SLEEPY =
            "SELECT $1::int AS sleepy_n FROM pg_sleep(CASE WHEN $1::int = 3 THEN 30 ELSE 0 END)";

    private PgDatabase one(int pipelineLimit) {
        return Postgres.connect(
                options().toBuilder().poolSize(1).pipelineLimit(pipelineLimit).build());
    }

    @Override
    public Database openOne(int pipelineLimit) {
        return one(pipelineLimit);
    }

    @Override
    public CompletableFuture<Integer> sleepy(Database via, int n) {
        return via.fetchValue(SLEEPY, Integer.class, n);
    }

    @Override
    public long sleeping() {
        return running("sleepy");
    }

    @Override
    public void killSleeping() {
        assertThat(await(db.fetchValue(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE state = 'active' AND query LIKE '%sleepy_n%'"
                                + " AND pid <> pg_backend_pid()",
                        Long.class)))
                .isEqualTo(1);
    }

    @Override
    public String failingSql() {
        return "SELECT 1 / $1::int";
    }

    @Override
    public Object failingArg(boolean fail) {
        return fail ? 0 : 1;
    }

    @Override
    public void checkFailure(QueryException e) {
        assertThat(e.sqlState()).isEqualTo("22012");
        assertThat(e.getMessage()).contains("division by zero");
    }

    /** Parks the database's only worker until the latch opens. */
    private static CompletableFuture<Object> park(PgDatabase one, CountDownLatch gate) {
        return one.withConnection(s -> gate.await(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void queuedReadsOfOneStatementShareRoundTripsOfSixteenAndEachGetsItsOwnRow() {
        try (PgDatabase one = one(16)) {
            List<CompletableFuture<Optional<Row>>> reads = PipelineContract.together(one, 40, i -> one.fetchRow(TX, i));
            Set<Long> transactions = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                Row row = await(reads.get(i)).orElseThrow();
                assertThat(row.get("n", Integer.class)).isEqualTo(i);
                transactions.add(row.get("tx", Long.class));
            }
            // 16 + 16 + 8: the reads of one round trip run in one implicit transaction
            assertThat(transactions).hasSize(3);
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void readsOfDifferentStatementsQueuedInTurnEachRunAlone() {
        try (PgDatabase one = one(16)) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> parked = park(one, gate);
            List<CompletableFuture<List<Row>>> all = new ArrayList<>();
            List<CompletableFuture<Integer>> values = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(one.fetch("SELECT g AS n, txid_current() AS tx FROM generate_series(1, $1::int) g", i));
                values.add(one.fetchValue("SELECT $1::int * 10", Integer.class, i));
            }
            gate.countDown();
            await(parked);
            Set<Long> transactions = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                List<Row> rows = await(all.get(i));
                assertThat(rows).extracting(r -> r.get("n", Integer.class)).hasSize(i);
                rows.forEach(r -> transactions.add(r.get("tx", Long.class)));
                assertThat(await(values.get(i))).isEqualTo(i * 10);
            }
            // the fetches alternate with other reads in the queue, so each one runs alone
            assertThat(transactions).hasSize(5);
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void pipelineLimitOneSendsEveryReadAlone() {
        try (PgDatabase one = one(1)) {
            List<CompletableFuture<Optional<Row>>> reads = PipelineContract.together(one, 10, i -> one.fetchRow(TX, i));
            Set<Long> transactions = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                transactions.add(await(reads.get(i)).orElseThrow().get("tx", Long.class));
            }
            assertThat(transactions).hasSize(10);
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void lockingReadsAndStatementsWithCommentsAreNeverShared() {
        try (PgDatabase one = one(16)) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> parked = park(one, gate);
            List<CompletableFuture<Long>> locking = new ArrayList<>();
            List<CompletableFuture<Long>> commented = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                locking.add(one.fetchValue("SELECT txid_current() FROM (SELECT $1::int) t FOR SHARE", Long.class, i));
            }
            for (int i = 0; i < 5; i++) {
                commented.add(one.fetchValue("SELECT txid_current() /* n */ + 0 * $1::int", Long.class, i));
            }
            gate.countDown();
            await(parked);
            assertThat(locking.stream().map(PgITBase::await).distinct()).hasSize(5);
            assertThat(commented.stream().map(PgITBase::await).distinct()).hasSize(5);
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void readsIssuedFromTheCompletionsOfASharedRoundTripShareTheNextOne() {
        String sql = "SELECT txid_current() + 0 * $1::int";
        try (PgDatabase two = Postgres.connect(
                options().toBuilder().poolSize(2).pipelineLimit(16).build())) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> first = park(two, gate);
            CompletableFuture<Object> second = park(two, gate);
            List<CompletableFuture<Long>> reads = new ArrayList<>();
            List<CompletableFuture<Long>> next = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                CompletableFuture<Long> read = two.fetchValue(sql, Long.class, i);
                reads.add(read);
                // issued on the worker that completes the read, as a chained caller does
                next.add(read.thenCompose(tx -> two.fetchValue(sql, Long.class, 100)));
            }
            gate.countDown();
            await(first);
            await(second);
            Set<Long> roundTrips = new HashSet<>();
            reads.forEach(r -> roundTrips.add(await(r)));
            Set<Long> nextRoundTrips = new HashSet<>();
            next.forEach(r -> nextRoundTrips.add(await(r)));
            // each round trip's callers stay one round trip: their next reads are kept by the
            // worker that completed them and leave together, never mixed with another round trip's
            assertThat(nextRoundTrips).hasSameSizeAs(roundTrips).doesNotContainAnyElementsOf(roundTrips);
            PipelineContract.idleAndClose(two);
        }
    }

    @Test
    void slowReadsIssuedTogetherRunInParallelWhileWorkersAreIdle() {
        try (PgDatabase four =
                Postgres.connect(options().toBuilder().poolSize(4).build())) {
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reads.add(
                        four.fetchValue("SELECT pg_backend_pid() + 0 * $1::int FROM pg_sleep(0.3)", Integer.class, i));
            }
            Set<Integer> backends = new HashSet<>();
            reads.forEach(r -> backends.add(await(r)));
            // a read of unknown or slow speed never waits behind another one on the same
            // connection while a worker is free to run it
            assertThat(backends).hasSize(4);
            PipelineContract.idleAndClose(four);
        }
    }
}
