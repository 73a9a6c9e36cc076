package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.ConstraintViolationException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.Session;
import dev.vtdb.TxOptions;
import dev.vtdb.VtdbException;
import dev.vtdb.sql.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input and server-side faults on MySQL/MariaDB, each with the error it must produce. */
class MySqlFaultsIT extends MySqlTestBase {
    private static final String GIRL = "fault_girl";
    private static final String ACCOUNT = "fault_account";

    @Override
    void createTables() {
        await(db.execute("CREATE TABLE " + GIRL + " (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64) NOT NULL,"
                + " age int, place varchar(64), UNIQUE KEY uq_fault_girl_name (name)) DEFAULT CHARSET=utf8mb4"));
        await(db.execute("CREATE TABLE " + ACCOUNT + " (id int PRIMARY KEY, balance int NOT NULL) ENGINE=InnoDB"));
    }

    @Override
    void dropTables() {
        await(db.execute("DROP TABLE IF EXISTS " + GIRL));
        await(db.execute("DROP TABLE IF EXISTS " + ACCOUNT));
    }

    @BeforeEach
    void reset() {
        await(db.execute("DELETE FROM " + GIRL));
        await(db.execute("DELETE FROM " + ACCOUNT));
        await(db.execute("INSERT INTO " + ACCOUNT + " (id, balance) VALUES (1, 100), (2, 100)"));
    }

    private MySqlDatabase openOne() {
        return MySql.connect(options().toBuilder().poolSize(1).build());
    }

    @Test
    void unknownColumnInInsertIsRejectedBeforeSendingNamingTheColumns() {
        Table girl = await(db.table(GIRL));
        assertThatThrownBy(() -> girl.insert().values(List.of(Map.of("name", "琪露诺", "agee", 9))))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("unknown column 'agee'")
                .hasMessageContaining(GIRL)
                .hasMessageContaining("[id, name, age, place]");
        assertThatThrownBy(() -> girl.update().set("plac", "x")).hasMessageContaining("[id, name, age, place]");
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + GIRL, Long.class)))
                .isZero();
    }

    @Test
    void duplicateKeyIsConstraintViolationWithVendorCodeAndKeyName() {
        Table girl = await(db.table(GIRL));
        await(db.execute(girl.insert().values(Map.of("name", "琪露诺", "age", 9))));
        assertThat(db.execute(girl.insert().values(Map.of("name", "琪露诺", "age", 10))))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
                    assertThat(e.vendorCode()).isEqualTo(1062);
                    assertThat(e.sqlState()).isEqualTo("23000");
                    assertThat(e.constraint()).isEqualTo("uq_fault_girl_name");
                    assertThat(e.sql()).startsWith("INSERT INTO `fault_girl`");
                    assertThat(e.getMessage()).contains("uq_fault_girl_name").contains("vendor code 1062");
                });
        long id = await(db.fetchValue("SELECT id FROM " + GIRL, Long.class));
        assertThat(db.execute("INSERT INTO " + GIRL + " (id, name) VALUES (?, ?)", id, "other"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        ConstraintViolationException.class,
                        e -> assertThat(e.constraint()).isEqualTo("PRIMARY"));
        assertThat(db.execute("INSERT INTO " + GIRL + " (name) VALUES (?)", (Object) null))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        ConstraintViolationException.class,
                        e -> assertThat(e.vendorCode()).isEqualTo(1048));
    }

    @Test
    void deadlineKillsTheQueryRollsBackAndReusesTheConnection() {
        MySqlDatabase one = openOne();
        try {
            long connectionId = await(one.fetchValue("SELECT CONNECTION_ID()", Long.class));
            String marker = "vtdb_fault_deadline_" + System.nanoTime();
            CompletableFuture<List<Row>> f = one.withTimeout(Duration.ofMillis(500))
                    .inTransaction(s -> {
                        s.execute("INSERT INTO " + GIRL + " (name) VALUES (?)", "rolled back");
                        return s.fetch("SELECT SLEEP(20) /* " + marker + " */");
                    });
            assertThat(f)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class)
                    .withMessageContaining("timeout 500ms");
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(running(marker)).isZero();
            assertThat(await(db.fetchValue("SELECT count(*) FROM " + GIRL, Long.class)))
                    .as("the transaction was rolled back")
                    .isZero();
            assertThat(await(one.fetchValue("SELECT CONNECTION_ID()", Long.class)))
                    .as("the same connection serves the next call: KILL QUERY, not a new connection")
                    .isEqualTo(connectionId);
            assertThat(one.stats().connectionsHeld() + one.stats().connectionsIdle())
                    .isEqualTo(1);
        } finally {
            one.close();
        }
    }

    @Test
    void killConnectionFromAnotherSessionIsConnectionLostAndThePoolRecovers() {
        MySqlDatabase one = openOne();
        try {
            long connectionId = await(one.fetchValue("SELECT CONNECTION_ID()", Long.class));
            String marker = "vtdb_fault_kill_" + System.nanoTime();
            CompletableFuture<List<Row>> running = one.fetch("SELECT SLEEP(20) /* " + marker + " */");
            assertThat(runningSoon(marker)).isTrue();
            await(db.execute("KILL CONNECTION " + connectionId));
            assertThat(running)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining("lost its connection to mysql://");
            // the worker evicted the dead connection and takes a fresh one
            long next = await(one.fetchValue("SELECT CONNECTION_ID()", Long.class));
            assertThat(next).isNotEqualTo(connectionId);
            assertThat(await(one.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
            assertThat(one.awaitIdle(WAIT)).isTrue();
        } finally {
            one.close();
        }
    }

    @Test
    void killedIdleConnectionIsReplaced() {
        MySqlDatabase one = openOne();
        try {
            long connectionId = await(one.fetchValue("SELECT CONNECTION_ID()", Long.class));
            await(db.execute("KILL CONNECTION " + connectionId));
            // the next call either finds the worker's connection dead (ConnectionLostException: the
            // statement may have been sent, so it is not retried) or, when the worker had already
            // given the connection back, gets a fresh one that HikariCP validated
            Throwable failure =
                    await(one.fetchValue("SELECT CONNECTION_ID()", Long.class).handle((id, t) -> {
                        if (t == null) {
                            assertThat(id).isNotEqualTo(connectionId);
                        }
                        return t;
                    }));
            if (failure != null) {
                assertThat(failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure)
                        .isInstanceOf(ConnectionLostException.class);
            }
            assertThat(await(one.fetchValue("SELECT CONNECTION_ID()", Long.class)))
                    .isNotEqualTo(connectionId);
        } finally {
            one.close();
        }
    }

    @Test
    void deadlockSurfacesAs1213WithoutRetries() {
        List<CompletableFuture<Integer>> both = provokeDeadlock(TxOptions.DEFAULT, new AtomicInteger());
        CompletableFuture.allOf(both.toArray(CompletableFuture[]::new))
                .exceptionally(t -> null)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Integer> f : both) {
            f.exceptionally(t -> {
                failures.add(t instanceof java.util.concurrent.CompletionException ? t.getCause() : t);
                return null;
            });
        }
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst()).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.vendorCode()).isEqualTo(1213);
            assertThat(e.sqlState()).isEqualTo("40001");
            assertThat(e.isTransactionConflict()).isTrue();
        });
    }

    @Test
    void deadlockIsRetriedByInTransactionWhenAsked() {
        AtomicInteger attempts = new AtomicInteger();
        TxOptions retry =
                TxOptions.builder().retries(3).backoff(Duration.ofMillis(1)).build();
        List<CompletableFuture<Integer>> both = provokeDeadlock(retry, attempts);
        for (CompletableFuture<Integer> f : both) {
            assertThat(f).succeedsWithin(WAIT);
        }
        assertThat(attempts.get())
                .as("one of the two was the deadlock victim and ran again")
                .isEqualTo(3);
        // both transfers applied exactly once
        assertThat(await(db.fetch("SELECT balance FROM " + ACCOUNT + " ORDER BY id")))
                .extracting(r -> r.getInt("balance"))
                .containsExactly(100 - 10 + 20, 100 + 10 - 20);
    }

    /**
     * Two transactions lock rows 1 and 2 in opposite order: the first locks 1, the second locks
     * 2, then each asks for the other's row; InnoDB kills one with 1213.
     */
    private List<CompletableFuture<Integer>> provokeDeadlock(TxOptions tx, AtomicInteger attempts) {
        CountDownLatch firstLocked = new CountDownLatch(1);
        CountDownLatch secondLocked = new CountDownLatch(1);
        CompletableFuture<Integer> a = db.inTransaction(tx, s -> {
            attempts.incrementAndGet();
            transfer(s, 1, -10);
            firstLocked.countDown();
            awaitLatch(secondLocked);
            transfer(s, 2, 10);
            return 1;
        });
        CompletableFuture<Integer> b = db.inTransaction(tx, s -> {
            attempts.incrementAndGet();
            awaitLatch(firstLocked);
            transfer(s, 2, -20);
            secondLocked.countDown();
            transfer(s, 1, 20);
            return 2;
        });
        return List.of(a, b);
    }

    private static void transfer(Session s, int id, int delta) {
        s.execute("UPDATE " + ACCOUNT + " SET balance = balance + ? WHERE id = ?", delta, id);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private long running(String marker) {
        return await(db.fetchValue(
                "SELECT count(*) FROM information_schema.processlist WHERE info LIKE ? AND id <> CONNECTION_ID()",
                Long.class,
                "%" + marker + "%"));
    }

    /** Polls the process list (bounded) until a statement carrying the marker runs. */
    private boolean runningSoon(String marker) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (running(marker) > 0) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }
}
