package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records JFR {@code jdk.VirtualThreadPinned} events while a test class runs and fails the class
 * when any pinned stack passes through vtdb's own code. Registered for every integration test by
 * JUnit's extension auto-detection (enabled in the parent POM's failsafe configuration).
 */
public final class PinnedCarrierCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PinnedCarrierCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> pinned = new CopyOnWriteArrayList<>();
        RecordingStream stream = new RecordingStream();
        stream.enable("jdk.VirtualThreadPinned").withStackTrace().withThreshold(Duration.ZERO);
        stream.onEvent("jdk.VirtualThreadPinned", e -> {
            String where = vtdbFrame(e);
            if (where != null) {
                pinned.add(where);
            }
        });
        stream.startAsync();
        context.getStore(NS).put("stream", stream);
        context.getStore(NS).put("pinned", pinned);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        RecordingStream stream = context.getStore(NS).remove("stream", RecordingStream.class);
        List<String> pinned = context.getStore(NS).remove("pinned", List.class);
        if (stream == null) {
            return;
        }
        stream.stop();
        stream.close();
        assertThat(pinned)
                .as("virtual threads pinned to their carrier inside vtdb code")
                .isEmpty();
    }

    private static boolean isJdkLinkage(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return (type.equals("java.lang.ClassLoader") && f.getMethod().getName().equals("loadClass"))
                // linkage and method type interning, not the LambdaForm frames every method-handle
                // call passes through
                || (type.startsWith("java.lang.invoke.")
                        && !type.contains("LambdaForm")
                        && !type.startsWith("java.lang.invoke.Invokers"));
    }

    private static String vtdbFrame(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return null;
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        Object pinnedReason = e.hasField("pinnedReason") ? e.getValue("pinnedReason") : null;
        String reason = pinnedReason == null ? "" : pinnedReason.toString();
        // a pin vtdb causes is a virtual thread that parks (a lock, a socket, a sleep) and cannot
        // unmount: its stack holds java.lang.VirtualThread's park frames. Without them the thread
        // blocked inside the VM itself (class initialization, call-site linkage under contention),
        // which the JDK does once per class or call site and which no library code can avoid.
        if (frames.stream().noneMatch(f -> f.getMethod().getType().getName().equals("java.lang.VirtualThread"))) {
            return null;
        }
        // a virtual thread loading or initialising a class, or linking a method handle or lambda
        // (the JVM's linkage upcalls run under a VM frame that cannot be unmounted), pins its
        // carrier once per class or call site, inside the JDK: nothing vtdb can avoid, and not a
        // lock held around blocking work
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        // (JDK 25 words the first socket park of a JVM as "VM call to sun.nio.ch.Poller.<clinit>",
        // and a thread waiting for another to finish initialising a class as "Freeze or preempt
        // failed (2)": freeze_pinned_cs, a continuation critical section, which only the JDK enters)
        if (lower.contains("class")
                || lower.contains("initialization")
                || lower.contains("<clinit>")
                || lower.contains("preempt failed (2)")
                || frames.stream().anyMatch(PinnedCarrierCheck::isJdkLinkage)) {
            return null;
        }
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("dev.vtdb.") && !type.startsWith("dev.vtdb.testkit.")) {
                StringBuilder stack =
                        new StringBuilder(type + "." + f.getMethod().getName() + ":" + f.getLineNumber());
                stack.append(" pinned (").append(reason).append(") at");
                for (RecordedFrame top : frames.subList(0, Math.min(40, frames.size()))) {
                    stack.append("\n    ")
                            .append(top.getMethod().getType().getName())
                            .append('.')
                            .append(top.getMethod().getName())
                            .append(':')
                            .append(top.getLineNumber());
                }
                return stack.toString();
            }
        }
        return null;
    }
}
