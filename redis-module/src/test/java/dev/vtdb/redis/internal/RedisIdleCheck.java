package dev.vtdb.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.PoolStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every integration test, every Redis client still open in the JVM must be idle: no call
 * running and none queued or waiting for a connection, within a bound for calls that are finishing
 * (a worker whose calls already failed by their deadline may still wait for its dead connection's
 * read to fail). The Redis counterpart of the test kit's {@code PoolIdleCheck}, registered for every
 * integration test of this module by JUnit's extension auto-detection; a client a test opens and
 * closes itself is checked by that test ({@code RedisTests.assertIdle}) before it closes it.
 */
public final class RedisIdleCheck implements AfterEachCallback {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Override
    public void afterEach(ExtensionContext context) {
        assertThat(busyClients(BOUND))
                .as("Redis clients not idle after the test")
                .isEmpty();
    }

    /**
     * Returns a line for each open client that does not become idle within the bound.
     *
     * @param bound how long the clients may take, together, to become idle
     * @return the busy clients with their counters
     */
    static List<String> busyClients(Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        List<String> busy = new ArrayList<>();
        for (Engine e : Engine.open()) {
            while (System.nanoTime() < end && !idle(e.stats())) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polls in-process counters
            }
            PoolStats stats = e.stats();
            if (!idle(stats) && !e.isClosed()) {
                busy.add(e.name() + ": " + stats);
            }
        }
        return busy;
    }

    private static boolean idle(PoolStats stats) {
        return stats.active() == 0 && stats.waiting() == 0;
    }
}
