package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.postgres.internal.SpinWaitSocketFactory;
import dev.vtdb.testkit.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The spin wait ({@link PgOptions.Builder#spinWait}): a lone call's worker polls for the reply
 * before blocking; with other calls running, or with the wait set to zero, no worker polls. The
 * counters are the JVM's (tests of this module run one at a time), read before and after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgSpinWaitIT extends PgITBase {

    private static long polled() {
        return SpinWaitSocketFactory.spins()[0];
    }

    /** Calls one at a time, each waited for: the answers, and how many reply waits polled. */
    private static long loneCalls(PgDatabase on, int calls) {
        long before = polled();
        for (int i = 0; i < calls; i++) {
            assertThat(await(on.fetchValue("SELECT $1::int + 1", Integer.class, i)))
                    .isEqualTo(i + 1);
        }
        return polled() - before;
    }

    @Test
    void aLoneCallersRepliesArePolledForAndAnsweredAsUsual() {
        assertThat(options().spinWait()).isEqualTo(Duration.ofNanos(50_000));
        long[] before = SpinWaitSocketFactory.spins();
        // a caller that waits and calls again is served by the latency worker most of the time
        assertThat(loneCalls(db, 40)).isPositive();
        long[] after = SpinWaitSocketFactory.spins();
        assertThat(after[1] - before[1]).as("replies caught while polling").isBetween(0L, after[0] - before[0]);
    }

    @Test
    void zeroTurnsItOff() {
        try (PgDatabase off =
                Postgres.connect(options().toBuilder().spinWait(Duration.ZERO).build())) {
            assertThat(loneCalls(off, 40)).isZero();
            assertThat(off.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void noWorkerPollsWhileOtherCallsRun() {
        // the first call goes to the latency worker (idle, woken first) and frees it again soon;
        // the two long ones keep two other workers busy, so the calls below run on the latency
        // worker beside them: the one worker that may poll, and must not while others run
        CompletableFuture<String> first = db.fetchValue("SELECT pg_sleep(0.2)::text", String.class);
        List<CompletableFuture<?>> sleepers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sleepers.add(db.fetchValue("SELECT pg_sleep(3)::text", String.class));
        }
        await(first);
        assertThat(Outcome.eventually(WAIT, () -> db.stats().active() == 2)).isTrue();
        assertThat(Outcome.eventually(WAIT, () -> sleeping() == 2)).isTrue();
        assertThat(loneCalls(db, 20)).isZero();
        assertThat(sleepers.stream().allMatch(f -> !f.isDone()))
                .as("the sleepers still ran when the calls finished")
                .isTrue();
        sleepers.forEach(PgITBase::await);
    }

    private long sleeping() {
        try (PgDatabase probe = Postgres.connectOne(serverOptions())) {
            return await(
                    probe.fetchValue("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'", Long.class));
        }
    }
}
