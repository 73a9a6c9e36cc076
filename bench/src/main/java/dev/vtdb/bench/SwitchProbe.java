package dev.vtdb.bench;

import dev.vtdb.bench.sql.SqlPeer;
import dev.vtdb.bench.sql.SqlPeers;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The profile behind the point-select rows: for one way of calling PostgreSQL, the throughput,
 * the CPU time this JVM spends per query and the context switches per query (from {@code
 * /proc/self/status} of every thread). On a small virtual machine a thread wake-up costs more than
 * the query's own work in the client, so switches per query explain most of the differences.
 *
 * <p>{@code java -cp vtdb-bench.jar dev.vtdb.bench.SwitchProbe MODE CALLERS SECONDS}, modes:
 *
 * <ul>
 *   <li>{@code jdbc-direct}: HikariCP + pgjdbc on the callers' own platform threads (the
 *       benchmarks' {@code jdbc-direct} peer);
 *   <li>{@code jdbc-virtual}: the same peer, its callers virtual threads;
 *   <li>{@code vtdb-join}: vtdb, each caller a virtual thread waiting with {@code join()};
 *   <li>{@code vtdb-join-platform}: vtdb, each caller a platform thread waiting with {@code
 *       join()} (a plain program's main thread calling {@code db.fetch(...).join()} in a loop);
 *   <li>{@code vtdb-chained}: vtdb, each caller's next query issued from the previous one's
 *       completion ({@link ClosedLoop}, as in the benchmarks).
 * </ul>
 */
public final class SwitchProbe {
    private SwitchProbe() {}

    /**
     * Runs one mode twice (the first round warms up) and prints the second round.
     *
     * @param args mode, callers, seconds per round
     * @throws Exception if the database fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int callers = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        // the benchmarks' own peers: jdbc-direct runs each query on the calling thread
        try (SqlPeer peer = SqlPeers.postgres(mode.startsWith("jdbc") ? SqlPeers.JDBC_DIRECT : SqlPeers.VTDB)) {
            for (int round = 0; round < 2; round++) {
                long switches0 = contextSwitches();
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                long[] at = new long[3];
                // measured while the callers' threads still exist: an ended thread's switches are gone
                long ops = run(mode, callers, seconds, peer, () -> {
                    at[0] = System.nanoTime();
                    at[1] = cpuNanos();
                    at[2] = contextSwitches();
                });
                long elapsed = at[0] - t0;
                long cpu = at[1] - cpu0;
                long switches = at[2] - switches0;
                if (round == 1) {
                    System.out.printf(
                            "%-13s callers=%-5d %9.0f queries/s  %6.1f us CPU/query  %5.2f context switches/query%n",
                            mode, callers, ops * 1e9 / elapsed, cpu / 1e3 / ops, switches / (double) ops);
                }
            }
        }
    }

    private static long run(String mode, int callers, double seconds, SqlPeer peer, Runnable measure)
            throws InterruptedException {
        long window = (long) (seconds * 1e9);
        if (mode.equals("vtdb-chained")) {
            int n = ClosedLoop.run(callers, window, r -> peer.pointSelect(Workloads.worldId(r)), null);
            measure.run();
            return n;
        }
        long end = System.nanoTime() + window;
        AtomicLong ops = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(callers);
        CountDownLatch exit = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread[] threads = new Thread[callers];
        for (int i = 0; i < callers; i++) {
            Runnable caller = () -> {
                long n = 0;
                try {
                    while (System.nanoTime() < end) {
                        peer.pointSelect(Workloads.worldId(
                                        ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE)))
                                .join();
                        n++;
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    ops.addAndGet(n);
                    finished.countDown();
                }
                try {
                    exit.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            threads[i] = mode.equals("jdbc-direct") || mode.equals("vtdb-join-platform")
                    ? Thread.ofPlatform().start(caller)
                    : Thread.ofVirtual().start(caller);
        }
        finished.await();
        measure.run();
        exit.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    mode + ": a caller failed (is the bench data prepared? bench/run does it)", failure.get());
        }
        return ops.get();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Voluntary plus involuntary context switches of every thread of this process. */
    private static long contextSwitches() {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches:")) {
                            total += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (java.io.IOException | NumberFormatException e) {
                    // the thread ended while being read
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return total;
    }
}
