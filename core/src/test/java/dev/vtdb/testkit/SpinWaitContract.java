package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.Row;
import dev.vtdb.internal.SpinWaitSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The spin wait scenarios every SQL module runs (JUnit runs these default methods in each
 * integration test that implements the interface): a lone call's worker polls for the reply
 * before blocking; with other calls running, or with the wait set to zero, no worker polls. The
 * counters are the JVM's ({@link SpinWaitSocket#spins()}; a module's tests run one at a time),
 * read before and after.
 */
public interface SpinWaitContract {
    /** The bound of every wait here. */
    Duration WAIT = Duration.ofSeconds(10);

    /**
     * Opens a database of four connections.
     *
     * @param spinWait its spin wait
     * @return the database
     */
    Database openWithSpinWait(Duration spinWait);

    /**
     * Returns a read of one integer placeholder that answers it plus one.
     *
     * @return the statement
     */
    String plusOneSql();

    /**
     * Returns a statement that sleeps for a while on the server and is found there by {@link
     * #sleeping()}.
     *
     * @param seconds how long
     * @return the statement
     */
    String sleepSql(double seconds);

    /**
     * Counts the statements of {@link #sleepSql} sleeping on the server.
     *
     * @return how many
     */
    long sleeping();

    /**
     * Returns a read of the integers 1 to {@value #SERIES} in a column of integers, one per row:
     * many chunks of the default fetch size (1,000).
     *
     * @return the statement
     */
    String seriesSql();

    /** The rows of {@link #seriesSql}. */
    int SERIES = 30_000;

    private static long polled() {
        return SpinWaitSocket.spins()[0];
    }

    /** Calls one at a time, each waited for: checks the answers, returns how many waits polled. */
    private long loneCalls(Database db, int calls) {
        long before = polled();
        for (int i = 0; i < calls; i++) {
            assertThat(db.fetchValue(plusOneSql(), Integer.class, i))
                    .succeedsWithin(WAIT)
                    .isEqualTo(i + 1);
        }
        return polled() - before;
    }

    @Test
    default void aLoneCallersRepliesArePolledForAndAnsweredAsUsual() {
        try (Database db = openWithSpinWait(Duration.ofNanos(50_000))) {
            long[] before = SpinWaitSocket.spins();
            // a caller that waits and calls again is served by the latency worker most of the time
            assertThat(loneCalls(db, 40)).isPositive();
            long[] after = SpinWaitSocket.spins();
            assertThat(after[1] - before[1]).as("replies caught while polling").isBetween(0L, after[0] - before[0]);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    default void aCursorsChunksAreNotPolledFor() {
        try (Database db = openWithSpinWait(Duration.ofNanos(50_000))) {
            long before = polled();
            int calls = 5;
            for (int i = 0; i < calls; i++) {
                assertThat(db.withConnection(s -> {
                            try (Stream<Row> rows = s.stream(seriesSql())) {
                                return rows.mapToLong(r -> r.get(0, Long.class)).sum();
                            }
                        }))
                        .succeedsWithin(WAIT)
                        .isEqualTo((long) SERIES * (SERIES + 1) / 2);
            }
            // each call's own short round trips (ending the cursor's transaction) may poll; its 30
            // chunks, replies too long for any spin, do not
            assertThat(polled() - before).as("polled waits").isLessThanOrEqualTo(3L * calls);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    default void zeroTurnsItOff() {
        try (Database db = openWithSpinWait(Duration.ZERO)) {
            assertThat(loneCalls(db, 40)).isZero();
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    default void noWorkerPollsWhileOtherCallsRun() {
        try (Database db = openWithSpinWait(Duration.ofNanos(50_000))) {
            // the first call goes to the latency worker (idle, woken first) and frees it again soon;
            // the two long ones keep two other workers busy, so the calls below run on the latency
            // worker beside them: the one worker that may poll, and must not while others run
            CompletableFuture<Object> first = db.fetchValue(sleepSql(0.2), Object.class);
            List<CompletableFuture<Object>> sleepers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                sleepers.add(db.fetchValue(sleepSql(3), Object.class));
            }
            assertThat(first).succeedsWithin(WAIT);
            assertThat(Outcome.eventually(WAIT, () -> db.stats().active() == 2)).isTrue();
            assertThat(Outcome.eventually(WAIT, () -> sleeping() == 2)).isTrue();
            assertThat(loneCalls(db, 20)).isZero();
            assertThat(sleepers)
                    .as("the sleepers still ran when the calls finished")
                    .noneMatch(CompletableFuture::isDone);
            sleepers.forEach(f -> assertThat(f).succeedsWithin(WAIT));
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }
}
