package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails an integration test class that leaves a non-daemon platform thread running (vtdb's own
 * threads are virtual or daemon; a leaked non-daemon thread would keep an application's JVM
 * alive). Registered for every integration test by JUnit's extension auto-detection.
 */
public final class ThreadLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakCheck.class);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS)
                .put("before", new HashSet<>(Thread.getAllStackTraces().keySet()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws InterruptedException {
        Set<Thread> before = context.getStore(NS).remove("before", Set.class);
        if (before == null) {
            return;
        }
        List<Thread> suspects = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t))
                .filter(t -> !t.isDaemon())
                .filter(t -> !t.getName().startsWith("testcontainers"))
                .toList();
        for (Thread t : suspects) {
            t.join(GRACE);
        }
        assertThat(suspects.stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName)
                        .toList())
                .as("threads left running by %s", context.getDisplayName())
                .isEmpty();
    }
}
