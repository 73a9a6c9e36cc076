package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.Database;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.QueryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Read pipelining scenarios every SQL module runs (JUnit runs these default methods in each
 * integration test that implements the interface): reads of one statement queued behind each other
 * share a round trip, and each caller still gets its own rows, its own error, its own cancel and
 * deadline; a lost connection or a close fails them all. Every scenario parks the only worker of a
 * one-connection database on a latch, queues the reads behind it, then lets the worker go, so the
 * reads are queued together when the worker takes them.
 */
public interface PipelineContract {

    /**
     * Opens a database with one connection.
     *
     * @param pipelineLimit reads sent together at most
     * @return the database
     */
    Database openOne(int pipelineLimit);

    /**
     * Reads {@code n} through a statement that sleeps 30 s for {@code n = 3} only and is found on
     * the server by the marker {@code sleepy_n}.
     *
     * @param via the database (or a view of it with another timeout)
     * @param n the value
     * @return {@code n}
     */
    CompletableFuture<Integer> sleepy(Database via, int n);

    /**
     * Counts the statements with the marker {@code sleepy_n} running on the server.
     *
     * @return how many
     */
    long sleeping();

    /** Kills the server connection running the statement with the marker {@code sleepy_n}. */
    void killSleeping();

    /**
     * Returns a read with one placeholder that returns 1, or fails with its own error for {@link
     * #failingArg failingArg(true)}.
     *
     * @return the statement
     */
    String failingSql();

    /**
     * Returns the argument of {@link #failingSql()}.
     *
     * @param fail whether the read must fail
     * @return the argument
     */
    Object failingArg(boolean fail);

    /**
     * Checks the error of a failed {@link #failingSql()} read (its code).
     *
     * @param e the error
     */
    void checkFailure(QueryException e);

    /**
     * Checks the connection after a round trip that failed: nothing left open.
     *
     * @param one the one-connection database
     */
    default void checkNothingLeftOpen(Database one) {
        // nothing to check by default
    }

    /**
     * Queues the reads {@code read} makes for 0..n-1 behind the parked only worker of {@code one},
     * then lets the worker go.
     *
     * @param one a one-connection database
     * @param n reads
     * @param read makes read i
     * @param <T> the reads' result type
     * @return the reads
     */
    static <T> List<CompletableFuture<T>> together(Database one, int n, IntFunction<CompletableFuture<T>> read) {
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Boolean> parked = one.withConnection(s -> gate.await(bound().toSeconds(), TimeUnit.SECONDS));
        List<CompletableFuture<T>> reads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reads.add(read.apply(i));
        }
        gate.countDown();
        assertThat(parked).succeedsWithin(bound()).isEqualTo(true);
        return reads;
    }

    /**
     * Checks the database is idle (active = 0, waiting = 0) and closes it.
     *
     * @param one the database
     */
    static void idleAndClose(Database one) {
        assertThat(one.awaitIdle(bound()))
                .as("private pool idle: %s", one.stats())
                .isTrue();
        assertThat(one.stats().active()).isZero();
        assertThat(one.stats().waiting()).isZero();
        one.close();
    }

    private static Duration bound() {
        return Duration.ofSeconds(10);
    }

    private static <T> T await(CompletableFuture<T> f) {
        assertThat(f).succeedsWithin(bound());
        return f.join();
    }

    private List<CompletableFuture<Integer>> sleepyTogether(Database one, int n, IntFunction<Database> via) {
        // run alone once first: where the driver vets a statement's columns, it is shared only then
        assertThat(await(sleepy(one, -1))).isEqualTo(-1);
        return together(one, n, i -> sleepy(via.apply(i), i));
    }

    @Test
    default void aSharedReadThatFailsFailsAloneWithItsOwnErrorAndTheOthersGetTheirRows() {
        try (Database one = openOne(16)) {
            assertThat(await(one.fetchValue(failingSql(), Integer.class, failingArg(false))))
                    .isEqualTo(1);
            List<CompletableFuture<Integer>> reads =
                    together(one, 20, i -> one.fetchValue(failingSql(), Integer.class, failingArg(i % 5 == 0)));
            for (int i = 0; i < 20; i++) {
                if (i % 5 == 0) {
                    assertThat(reads.get(i))
                            .failsWithin(bound())
                            .withThrowableThat()
                            .havingCause()
                            .isInstanceOfSatisfying(QueryException.class, e -> {
                                checkFailure(e);
                                // the caller's statement, not the text sent together
                                assertThat(e.getMessage())
                                        .contains(failingSql())
                                        .doesNotContain(";");
                            });
                } else {
                    assertThat(await(reads.get(i))).isEqualTo(1);
                }
            }
            checkNothingLeftOpen(one);
            idleAndClose(one);
        }
    }

    @Test
    default void cancellingOneSharedReadStopsItOnTheServerAndTheOthersStillComplete() {
        try (Database one = openOne(16)) {
            List<CompletableFuture<Integer>> reads = sleepyTogether(one, 8, i -> one);
            assertThat(Outcome.eventually(bound(), () -> sleeping() == 1)).isTrue();
            assertThat(one.stats().active()).isEqualTo(8);
            reads.get(3).cancel(true);
            for (int i = 0; i < 8; i++) {
                if (i == 3) {
                    assertThat(reads.get(i)).isCancelled();
                } else {
                    assertThat(await(reads.get(i))).isEqualTo(i);
                }
            }
            assertThat(Outcome.eventually(bound(), () -> sleeping() == 0)).isTrue();
            idleAndClose(one);
        }
    }

    @Test
    default void aSharedReadPastItsDeadlineFailsAloneWithDeadlineExceeded() {
        try (Database one = openOne(16)) {
            List<CompletableFuture<Integer>> reads =
                    sleepyTogether(one, 6, i -> i == 3 ? one.withTimeout(Duration.ofMillis(800)) : one);
            for (int i = 0; i < 6; i++) {
                if (i == 3) {
                    assertThat(reads.get(i))
                            .failsWithin(bound())
                            .withThrowableThat()
                            .havingCause()
                            .isInstanceOf(DeadlineExceededException.class)
                            .withMessageContaining("timeout 800ms");
                } else {
                    assertThat(await(reads.get(i))).isEqualTo(i);
                }
            }
            assertThat(Outcome.eventually(bound(), () -> sleeping() == 0)).isTrue();
            idleAndClose(one);
        }
    }

    @Test
    default void aKilledConnectionFailsEveryReadOfTheRoundTripAndTheNextCallGetsAFreshConnection() {
        try (Database one = openOne(16)) {
            List<CompletableFuture<Integer>> reads = sleepyTogether(one, 5, i -> one);
            assertThat(Outcome.eventually(bound(), () -> sleeping() == 1)).isTrue();
            killSleeping();
            for (CompletableFuture<Integer> read : reads) {
                assertThat(read)
                        .failsWithin(bound())
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(ConnectionLostException.class);
            }
            assertThat(await(one.fetchValue(failingSql(), Integer.class, failingArg(false))))
                    .isEqualTo(1);
            idleAndClose(one);
        }
    }

    @Test
    default void closingWhileReadsShareARoundTripFailsThemAllAsClosed() {
        Database one = openOne(16);
        List<CompletableFuture<Integer>> reads = sleepyTogether(one, 5, i -> one);
        assertThat(Outcome.eventually(bound(), () -> sleeping() == 1)).isTrue();
        assertThat(one.closeAsync()).succeedsWithin(bound());
        for (CompletableFuture<Integer> read : reads) {
            assertThat(read)
                    .failsWithin(bound())
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DatabaseClosedException.class);
        }
        assertThat(Outcome.eventually(bound(), () -> sleeping() == 0)).isTrue();
    }
}
