package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.internal.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every integration test, every SQL database still open in the JVM must be idle: no call
 * running (active = 0) and none queued (waiting = 0), within a short bound for calls that are
 * finishing. Registered for every IT by JUnit's extension auto-detection, beside the contracts'
 * own per-test checks, so a test of any module that leaves work behind fails.
 */
public final class PoolIdleCheck implements AfterEachCallback {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Override
    public void afterEach(ExtensionContext context) {
        assertThat(busyEngines(BOUND)).as("SQL pools not idle after the test").isEmpty();
    }

    /**
     * Returns a line for each open engine that does not become idle within the bound.
     *
     * @param bound how long each engine may take to become idle
     * @return the busy engines with their counters
     */
    public static List<String> busyEngines(Duration bound) {
        List<String> busy = new ArrayList<>();
        for (Engine e : Engine.open()) {
            if (!e.awaitIdle(bound) || e.stats().active() != 0 || e.stats().waiting() != 0) {
                busy.add(e.name() + ": " + e.stats());
            }
        }
        return busy;
    }
}
