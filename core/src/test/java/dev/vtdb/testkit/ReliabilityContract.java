package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.ConnectionLostException;
import dev.vtdb.Database;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.TxOptions;
import dev.vtdb.VtdbException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Reliability under load and faults, run by every SQL module against its real server: a
 * cancellation storm, concurrent transfers with an invariant, a network black hole, a reset
 * during COMMIT (through {@link FaultProxy}) and a server restart with calls in flight (on a
 * private server). Each scenario prints one {@code RELIABILITY |} line with its figures, collected
 * in docs/RELIABILITY.md.
 */
public abstract class ReliabilityContract {
    /** Per-JVM table names: two builds sharing a server never touch each other's tables. */
    private static final String SUFFIX = "_" + ProcessHandle.current().pid();

    private static final String STORM = "vtdb_storm" + SUFFIX;
    private static final String ACCOUNTS = "vtdb_accounts" + SUFFIX;
    private static final String RESET = "vtdb_reset" + SUFFIX;
    private static final String KILLED = "vtdb_killed" + SUFFIX;

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A private server the test may stop and start. */
    protected interface PrivateServer extends AutoCloseable {
        /**
         * Returns its URL.
         *
         * @return the URL
         */
        String url();

        /** Stops it (clients are disconnected). */
        void stop();

        /** Starts it again and waits until it answers. */
        void start();

        @Override
        void close();
    }

    /**
     * Returns the database's name for the report ({@code postgres}, {@code mariadb}).
     *
     * @return the name
     */
    protected abstract String databaseName();

    /**
     * Returns the shared server's URL.
     *
     * @return the URL
     */
    protected abstract String sharedUrl();

    /**
     * Opens a database.
     *
     * @param url server URL
     * @param host host to connect to instead of the URL's (a proxy), or {@code null}
     * @param port port to connect to instead of the URL's, or 0
     * @param poolSize connections
     * @param timeout default command timeout
     * @return the database
     */
    protected Database open(String url, String host, int port, int poolSize, Duration timeout) {
        return open(url, host, port, poolSize, timeout, 65_536);
    }

    /**
     * Opens a database with a request queue bound.
     *
     * @param url server URL
     * @param host host to connect to instead of the URL's (a proxy), or {@code null}
     * @param port port to connect to instead of the URL's, or 0
     * @param poolSize connections
     * @param timeout default command timeout
     * @param queueBound the most calls that may wait
     * @return the database
     */
    protected abstract Database open(String url, String host, int port, int poolSize, Duration timeout, int queueBound);

    /**
     * Returns the statement that gives the server-side id of the asking connection ({@code SELECT
     * pg_backend_pid()}, {@code SELECT CONNECTION_ID()}).
     *
     * @return SQL returning one number
     */
    protected abstract String connectionIdSql();

    /**
     * Returns the statement that kills another connection by id on the server ({@code
     * pg_terminate_backend}, {@code KILL CONNECTION}).
     *
     * @param id the connection's server-side id
     * @return SQL
     */
    protected abstract String killConnectionSql(long id);

    /**
     * Returns a statement that sleeps on the server for about the given milliseconds.
     *
     * @param millis duration
     * @return SQL
     */
    protected abstract String sleepSql(int millis);

    /**
     * Counts transactions left open or statements still running on the server for a table's work
     * (the storm's), excluding the asking connection.
     *
     * @param db a database to ask with
     * @return the count
     */
    protected abstract long leftoverServerWork(Database db);

    /**
     * Starts a private server.
     *
     * @return the running server
     */
    protected abstract PrivateServer startPrivateServer();

    private static void assertIdle(Database db) {
        assertThat(db.awaitIdle(WAIT)).as("idle: %s", db.stats()).isTrue();
        assertThat(db.stats().active()).isZero();
        assertThat(db.stats().waiting()).isZero();
    }

    @Test
    void cancellationStormLeavesNoTraceButCommittedRows() {
        try (Database db = open(sharedUrl(), null, 0, 8, Duration.ofSeconds(30))) {
            db.execute("DROP TABLE IF EXISTS " + STORM).join();
            db.execute("CREATE TABLE " + STORM + " (id int NOT NULL, payload varchar(16))")
                    .join();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<CompletableFuture<?>> calls = new ArrayList<>();
            List<CompletableFuture<?>> toCancel = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                int id = i;
                CompletableFuture<ExecResult> f = i % 3 == 0
                        ? db.inTransaction(s -> {
                            s.execute("INSERT INTO " + STORM + " VALUES (?, ?)", id, "tx");
                            return s.execute(sleepSql(1));
                        })
                        : db.execute("INSERT INTO " + STORM + " VALUES (?, ?)", id, "auto");
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
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            assertIdle(db);

            Set<Integer> acknowledged = new HashSet<>();
            for (int i = 0; i < calls.size(); i++) {
                if (!calls.get(i).isCompletedExceptionally()) {
                    acknowledged.add(i);
                }
            }
            List<Row> rows = db.fetch("SELECT id FROM " + STORM).join();
            Set<Integer> present = new HashSet<>();
            rows.forEach(r -> present.add(r.getInt("id")));
            assertThat(rows).as("no row twice").hasSize(present.size());
            Set<Integer> lost = new HashSet<>(acknowledged);
            lost.removeAll(present);
            assertThat(lost).as("every acknowledged row is present").isEmpty();
            long leftover = leftoverServerWork(db);
            assertThat(leftover)
                    .as("no transaction left open, no statement still running")
                    .isZero();
            outcome.report(
                    databaseName(),
                    "cancellation storm",
                    "10,000 calls, pool 8",
                    "~50% cancelled at random moments",
                    lost.size(),
                    leftover + db.stats().active());
            db.execute("DROP TABLE " + STORM).join();
        }
    }

    @Test
    void concurrentTransfersKeepTheTotal() {
        try (Database db = open(sharedUrl(), null, 0, 8, Duration.ofSeconds(60))) {
            db.execute("DROP TABLE IF EXISTS " + ACCOUNTS).join();
            db.execute("CREATE TABLE " + ACCOUNTS + " (id int PRIMARY KEY, balance bigint NOT NULL)")
                    .join();
            List<List<?>> accounts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                accounts.add(List.of(i, 1_000L));
            }
            db.executeMany("INSERT INTO " + ACCOUNTS + " VALUES (?, ?)", accounts)
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
                transfers.add(db.inTransaction(opts, s -> {
                    s.execute("UPDATE " + ACCOUNTS + " SET balance = balance - ? WHERE id = ?", amount, from);
                    s.execute("UPDATE " + ACCOUNTS + " SET balance = balance + ? WHERE id = ?", amount, to);
                    return null;
                }));
            }
            Outcome outcome = Outcome.settle(transfers, WAIT);
            assertThat(outcome.hung()).isZero();
            assertThat(outcome.completed())
                    .as("every transfer committed after retries")
                    .isEqualTo(2_000);
            long total = db.fetchValue("SELECT sum(balance) FROM " + ACCOUNTS, Long.class)
                    .join();
            assertThat(total).isEqualTo(100_000L);
            assertIdle(db);
            outcome.report(
                    databaseName(),
                    "transfers with invariant",
                    "2,000 concurrent transfers, 100 accounts, pool 8",
                    "conflicts and deadlocks, retried",
                    Math.abs(100_000L - total),
                    db.stats().active());
            db.execute("DROP TABLE " + ACCOUNTS).join();
        }
    }

    @Test
    void blackHoleEndsEveryCallByItsDeadlineAndThePoolRecovers() {
        String url = sharedUrl();
        try (FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                Database db = open(url, "127.0.0.1", proxy.port(), 2, Duration.ofMillis(500))) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1);
            proxy.blackhole();
            List<CompletableFuture<List<Row>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(db.fetch("SELECT " + i));
            }
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            for (CompletableFuture<List<Row>> call : calls) {
                assertThat(Outcome.cause(call)).isInstanceOf(DeadlineExceededException.class);
            }
            proxy.pass();
            // the black-holed connections were aborted after the cancel grace; fresh ones work
            assertThat(db.withTimeout(Duration.ofSeconds(10)).fetchValue("SELECT 2", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(2);
            assertIdle(db);
            outcome.report(
                    databaseName(),
                    "network black hole",
                    "20 calls, pool 2, 500 ms deadline",
                    "proxy stops forwarding",
                    0,
                    db.stats().active());
        }
    }

    @Test
    void connectionResetDuringCommitIsCommitOutcomeUnknown() {
        String url = sharedUrl();
        try (Database direct = open(url, null, 0, 1, Duration.ofSeconds(10));
                FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                Database db = open(url, "127.0.0.1", proxy.port(), 2, Duration.ofSeconds(5))) {
            direct.execute("DROP TABLE IF EXISTS " + RESET).join();
            direct.execute("CREATE TABLE " + RESET + " (id int PRIMARY KEY, name varchar(32))")
                    .join();
            CompletableFuture<Object> tx = db.inTransaction(s -> {
                s.execute("INSERT INTO " + RESET + " VALUES (?, ?)", 1, "in-flight");
                proxy.resetAfterClientSends("COMMIT");
                return null;
            });
            Outcome outcome = Outcome.settle(List.of(tx), WAIT);
            assertThat(Outcome.cause(tx))
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageContaining("during COMMIT");
            // the proxy forwarded COMMIT and swallowed the server's answer: the server committed
            long committed = direct.fetchValue("SELECT count(*) FROM " + RESET, Long.class)
                    .join();
            assertThat(committed).isEqualTo(1L);
            // the broken connection was evicted and replaced
            assertThat(db.fetchValue("SELECT 3", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(3);
            assertIdle(db);
            outcome.report(
                    databaseName(),
                    "reset during COMMIT",
                    "1 transaction",
                    "proxy forwards COMMIT, swallows the reply, resets",
                    1 - committed,
                    db.stats().active());
            direct.execute("DROP TABLE " + RESET).join();
        }
    }

    @Test
    void oneCallerAtATimeIsServedByTheSameWarmConnection() {
        int workers = 8;
        try (Database db = open(sharedUrl(), null, 0, workers, Duration.ofSeconds(30))) {
            // every worker holds a connection: eight calls that run together
            CountDownLatch together = new CountDownLatch(workers);
            List<CompletableFuture<Long>> held = new ArrayList<>();
            List<Thread> workerThreads = new CopyOnWriteArrayList<>();
            for (int i = 0; i < workers; i++) {
                held.add(db.withConnection(s -> {
                    workerThreads.add(Thread.currentThread());
                    together.countDown();
                    assertThat(awaitLatch(together)).isTrue();
                    return s.fetchValue(connectionIdSql(), Long.class);
                }));
            }
            Set<Long> all = new HashSet<>();
            held.forEach(f -> all.add(f.join()));
            assertThat(all).hasSize(workers);
            // the workers are virtual threads but one, the latency worker
            List<Thread> platform =
                    workerThreads.stream().filter(t -> !t.isVirtual()).toList();
            assertThat(platform).as("calls run by a platform thread").hasSize(1);
            Thread latency = platform.getFirst();
            // then one call at a time: the latency worker takes each one, or, when this thread
            // submits before the latency worker is idle again (the two cores also run the
            // server), the worker idle the shortest time: a few connections (their prepared
            // statements warm) serve them and the others can be given back, instead of each
            // worker in turn
            Set<Long> used = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                used.add(db.fetchValue(connectionIdSql(), Long.class).join());
            }
            assertThat(used)
                    .as("connections serving 20 calls made one after another (of %d held before)", workers)
                    .hasSizeLessThanOrEqualTo(3);
            // whenever the latency worker is idle, a new call goes to it, not to a virtual worker
            // (every worker parked first: one still on its way back from an earlier wake-up would
            // look at the queue once more before it parks, and may take the call)
            for (int i = 0; i < 20; i++) {
                workerThreads.forEach(ReliabilityContract::awaitParked);
                Thread ran = db.withConnection(s -> Thread.currentThread()).join();
                assertThat(ran)
                        .as("the thread running call %d, made while the latency worker waited", i)
                        .isSameAs(latency);
            }
            assertIdle(db);
        }
    }

    /** Waits (bounded) until a thread is parked, as an idle worker is. */
    private static void awaitParked(Thread thread) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - end)
                    .as("%s still not parked", thread.getName())
                    .isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void serverSideKillOfBusyConnectionsFailsThemCleanlyAndThePoolReplacesThem() {
        String url = sharedUrl();
        try (Database direct = open(url, null, 0, 1, Duration.ofSeconds(10));
                Database db = open(url, null, 0, 4, Duration.ofSeconds(30))) {
            direct.execute("DROP TABLE IF EXISTS " + KILLED).join();
            direct.execute("CREATE TABLE " + KILLED + " (id int PRIMARY KEY)").join();
            // every connection of the pool busy in a long statement, 40 inserts queued behind them
            Set<Long> ids = ConcurrentHashMap.newKeySet();
            CountDownLatch busy = new CountDownLatch(4);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(db.withConnection(s -> {
                    ids.add(s.fetchValue(connectionIdSql(), Long.class));
                    busy.countDown();
                    return s.fetch(sleepSql(20_000));
                }));
            }
            List<CompletableFuture<ExecResult>> inserts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                inserts.add(db.execute("INSERT INTO " + KILLED + " VALUES (?)", i));
            }
            calls.addAll(inserts);
            assertThat(awaitLatch(busy)).isTrue();
            for (long id : ids) {
                direct.execute(killConnectionSql(id)).join();
            }
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            for (CompletableFuture<?> c : calls.subList(0, 4)) {
                assertThat(Outcome.cause(c)).isInstanceOf(ConnectionLostException.class);
            }
            // the queued inserts ran on replacement connections
            long acknowledged =
                    inserts.stream().filter(f -> !f.isCompletedExceptionally()).count();
            assertThat(acknowledged).isEqualTo(40);
            long present = direct.fetchValue("SELECT count(*) FROM " + KILLED, Long.class)
                    .join();
            assertThat(present).isEqualTo(acknowledged);
            assertIdle(db);
            outcome.report(
                    databaseName(),
                    "server-side kill",
                    "4 busy connections, 40 inserts queued, pool 4",
                    "every busy connection killed on the server",
                    acknowledged - present,
                    db.stats().active());
            direct.execute("DROP TABLE " + KILLED).join();
        }
    }

    @Test
    void poolExhaustionAndNestedAcquireFailFastOrJoinAndNeverDeadlock() {
        try (Database db = open(sharedUrl(), null, 0, 2, Duration.ofMillis(1500), 4)) {
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                // the holders get a long deadline, the calls behind them the default 1.5 s
                calls.add(db.withTimeout(Duration.ofSeconds(30)).withConnection(s -> {
                    holding.countDown();
                    awaitLatch(release);
                    // the pool is full: a nested call from the callback joins its connection
                    return db.fetchValue("SELECT 7", Integer.class).join();
                }));
            }
            assertThat(awaitLatch(holding)).isTrue();
            // 4 calls fit in the queue and wait past their deadline; 6 more are refused at once
            List<CompletableFuture<?>> queued = new ArrayList<>();
            List<CompletableFuture<?>> refused = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                (i < 4 ? queued : refused).add(db.fetchValue("SELECT " + i, Integer.class));
            }
            for (CompletableFuture<?> f : refused) {
                assertThat(f).isCompletedExceptionally();
                assertThat(Outcome.cause(f))
                        .isInstanceOf(dev.vtdb.PoolExhaustedException.class)
                        .hasMessageContaining("queue is full")
                        .hasMessageContaining("bound=4");
            }
            for (CompletableFuture<?> f : queued) {
                assertThat(f)
                        .failsWithin(WAIT)
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(DeadlineExceededException.class)
                        .withMessageContaining("while queued");
            }
            release.countDown();
            calls.addAll(queued);
            calls.addAll(refused);
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            assertThat(calls.get(0).join()).isEqualTo(7);
            assertThat(calls.get(1).join()).isEqualTo(7);
            assertIdle(db);
            outcome.report(
                    databaseName(),
                    "pool exhaustion and nested acquire",
                    "2 callbacks holding pool 2, each making a nested call; 10 more calls, queue bound 4",
                    "4 wait past their deadline, 6 exceed the queue bound",
                    0,
                    db.stats().active());
        }
    }

    private static boolean awaitLatch(CountDownLatch latch) {
        return Outcome.awaitLatch(latch, WAIT);
    }

    @Test
    void serverRestartWith200CallsInFlightFailsCleanlyAndRecovers() {
        try (PrivateServer server = startPrivateServer();
                Database db = open(server.url(), null, 0, 8, Duration.ofSeconds(20))) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1);
            List<CompletableFuture<List<Row>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(db.fetch(sleepSql(50)));
            }
            server.stop();
            server.start();
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            for (CompletableFuture<List<Row>> c : calls) {
                if (c.isCompletedExceptionally()) {
                    assertThat(Outcome.cause(c))
                            .isInstanceOfAny(
                                    ConnectionLostException.class,
                                    DeadlineExceededException.class,
                                    DatabaseClosedException.class,
                                    VtdbException.class);
                }
            }
            assertThat(db.fetchValue("SELECT 2", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(2);
            assertIdle(db);
            outcome.report(
                    databaseName(),
                    "server restart",
                    "200 calls in flight, pool 8",
                    "private server stopped and started",
                    0,
                    db.stats().active());
        }
    }
}
