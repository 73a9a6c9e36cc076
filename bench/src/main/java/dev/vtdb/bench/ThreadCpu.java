package dev.vtdb.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Processor time of this JVM's threads, grouped by name (digits folded, so {@code C2
 * CompilerThread0} and {@code C2 CompilerThread1} are one group), read from Linux's {@code
 * /proc/self/task/TID/schedstat} (nanoseconds on the processor) and {@code comm}. JIT compiler and
 * GC threads are included, which {@code ThreadMXBean} does not show.
 */
final class ThreadCpu {
    private ThreadCpu() {}

    /**
     * Reads every live thread's processor time.
     *
     * @return nanoseconds per thread id, with the group name
     */
    static Map<String, long[]> snapshot() {
        Map<String, long[]> byTid = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "N");
                    String sched = Files.readString(task.resolve("schedstat")).strip();
                    long ns = Long.parseLong(sched.substring(0, sched.indexOf(' ')));
                    byTid.put(task.getFileName() + " " + comm, new long[] {ns});
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task (Linux only)", e);
        }
        return byTid;
    }

    /**
     * Adds each group's processor time between two snapshots to a running total.
     *
     * @param before the earlier snapshot
     * @param after the later one
     * @param totals nanoseconds per group, updated
     */
    static void addDelta(Map<String, long[]> before, Map<String, long[]> after, Map<String, Long> totals) {
        after.forEach((key, ns) -> {
            long[] was = before.get(key);
            long delta = ns[0] - (was == null ? 0 : was[0]);
            totals.merge(key.substring(key.indexOf(' ') + 1), delta, Long::sum);
        });
    }
}
