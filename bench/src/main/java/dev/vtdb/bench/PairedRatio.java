package dev.vtdb.bench;

import dev.vtdb.bench.sql.SqlPeer;
import dev.vtdb.bench.sql.SqlPeers;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongBiFunction;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Measures one ratio of issue 9 with the two peers interleaved in one JVM: rounds of a short window
 * of vtdb and a short window of the reference peer, in alternating order (vtdb first in even
 * rounds, the reference first in odd ones), after warm-up rounds of both. Each round gives one
 * ratio of the two rates measured within the same second or two, so the machine's own drift (this
 * kind of virtual machine runs 2x faster or slower from one minute to the next) cancels out, where
 * the JMH rows measure each peer in its own JVM minutes apart. The ratio reported is the geometric
 * mean of the rounds' ratios, with a 99.9% confidence interval (Student's t on their logarithms,
 * as JMH computes its error bars).
 *
 * <p>{@code java -cp vtdb-bench.jar dev.vtdb.bench.PairedRatio WORKLOAD ROUNDS SECONDS}, workloads:
 *
 * <ul>
 *   <li>{@code pg-point-select-1}: PostgreSQL point select by random id, one caller ({@link
 *       ClosedLoop}, as in {@code PgPointSelect}), vtdb vs {@code jdbc-direct} (HikariCP + pgjdbc
 *       on the caller's own thread);
 *   <li>{@code pg-stream}: the streaming read of 1,000,000 rows with a fetch size of 10,000 (as in
 *       {@code PgBulk.streamRead}), vtdb vs {@code jdbc-platform} (raw pgjdbc);
 *   <li>{@code pg-stream-cursor}: the same read by {@code vtdb-cursor} (the stream inside a
 *       transaction, where it reads a cursor; outside one it reads a COPY) vs {@code jdbc-platform};
 *   <li>{@code mysql-point-select-256}: MariaDB point select by random id, 256 callers (as in
 *       {@code MySqlPointSelect}), vtdb vs {@code vertx-pooled} (the Vert.x MySQL client).
 * </ul>
 *
 * <p>The result is one {@code "kind":"paired"} record in {@code side.jsonl} and one line on
 * standard output. {@code -Dvtdb.bench.paired.verbose=true} prints every round; {@code
 * -Dvtdb.bench.paired.peer=NAME} measures another peer in vtdb's place: with the reference peer
 * itself (two pools of the same kind) the ratio should come out 1.0 within its interval, a check of
 * the method (1.01, 0.84-1.22 for the streaming read on 2026-11-26). {@code
 * -Dvtdb.bench.paired.threads=true} also prints the processor time per operation of the busiest
 * thread groups in each peer's windows ({@link ThreadCpu}).
 */
public final class PairedRatio {
    private static final int WARMUP_ROUNDS = 3;
    private static final int MYSQL_CALLERS = 256;

    private PairedRatio() {}

    /**
     * Runs the rounds and records the ratio.
     *
     * @param args workload, measured rounds, seconds per peer per round
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: PairedRatio pg-point-select-1|pg-stream|pg-stream-cursor|mysql-point-select-256 ROUNDS"
                            + " SECONDS_PER_PEER_PER_ROUND");
        }
        String workload = args[0];
        int rounds = Integer.parseInt(args[1]);
        long window = (long) (Double.parseDouble(args[2]) * 1e9);
        switch (workload) {
            case "pg-point-select-1" ->
                measure(
                        "PgPointSelect.pointSelect",
                        1,
                        SqlPeers::postgres,
                        SqlPeers.VTDB,
                        SqlPeers.JDBC_DIRECT,
                        rounds,
                        window,
                        // one caller in a closed loop: queries completed in the window
                        (peer, w) -> ClosedLoop.run(1, w, r -> peer.pointSelect(Workloads.worldId(r)), null));
            case "pg-stream" ->
                measure(
                        "PgBulk.streamRead",
                        1,
                        SqlPeers::postgres,
                        SqlPeers.VTDB,
                        SqlPeers.JDBC_PLATFORM,
                        rounds,
                        window,
                        PairedRatio::streamRows);
            case "pg-stream-cursor" ->
                measure(
                        "PgBulk.streamRead",
                        1,
                        SqlPeers::postgres,
                        SqlPeers.VTDB_CURSOR,
                        SqlPeers.JDBC_PLATFORM,
                        rounds,
                        window,
                        PairedRatio::streamRows);
            case "mysql-point-select-256" ->
                measure(
                        "MySqlPointSelect.pointSelect",
                        MYSQL_CALLERS,
                        SqlPeers::mysql,
                        SqlPeers.VTDB,
                        SqlPeers.VERTX_POOLED,
                        rounds,
                        window,
                        (peer, w) ->
                                ClosedLoop.run(MYSQL_CALLERS, w, r -> peer.pointSelect(Workloads.worldId(r)), null));
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    /** Whole streaming reads until the window has passed: the rows read. */
    private static long streamRows(SqlPeer peer, long window) {
        long end = System.nanoTime() + window;
        long rows = 0;
        do {
            long n = peer.streamRead(Workloads.FETCH_SIZE).join();
            if (n != Workloads.STREAM_ROWS) {
                throw new IllegalStateException("read " + n + " rows, expected " + Workloads.STREAM_ROWS);
            }
            rows += n;
        } while (System.nanoTime() < end);
        return rows;
    }

    private static void measure(
            String benchmark,
            int callers,
            Function<String, SqlPeer> open,
            String defaultSubject,
            String reference,
            int rounds,
            long window,
            ToLongBiFunction<SqlPeer, Long> work) {
        if (rounds < 2) {
            throw new IllegalArgumentException("needs at least 2 rounds, got " + rounds);
        }
        double[] logRatios = new double[rounds];
        double vtdbOps = 0;
        double refOps = 0;
        double vtdbNanos = 0;
        double refNanos = 0;
        double vtdbCpu = 0;
        double refCpu = 0;
        boolean threads = Boolean.getBoolean("vtdb.bench.paired.threads");
        Map<String, Long> vtdbThreads = new HashMap<>();
        Map<String, Long> refThreads = new HashMap<>();
        String subject = System.getProperty("vtdb.bench.paired.peer", defaultSubject);
        try (SqlPeer vtdb = open.apply(subject);
                SqlPeer ref = open.apply(reference)) {
            for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
                boolean vtdbFirst = (round & 1) == 0;
                Map<String, long[]> t0 = threads ? ThreadCpu.snapshot() : null;
                long[] first = timed(vtdbFirst ? vtdb : ref, window, work);
                Map<String, long[]> t1 = threads ? ThreadCpu.snapshot() : null;
                long[] second = timed(vtdbFirst ? ref : vtdb, window, work);
                if (threads && round >= 0) {
                    Map<String, long[]> t2 = ThreadCpu.snapshot();
                    ThreadCpu.addDelta(t0, t1, vtdbFirst ? vtdbThreads : refThreads);
                    ThreadCpu.addDelta(t1, t2, vtdbFirst ? refThreads : vtdbThreads);
                }
                long[] v = vtdbFirst ? first : second;
                long[] r = vtdbFirst ? second : first;
                if (Boolean.getBoolean("vtdb.bench.paired.verbose")) {
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: %s %.0f/s, %s %.0f/s%n",
                            round,
                            subject,
                            v[0] * 1e9 / v[1],
                            reference,
                            r[0] * 1e9 / r[1]);
                }
                if (round >= 0) {
                    logRatios[round] = Math.log(((double) v[0] / v[1]) / ((double) r[0] / r[1]));
                    vtdbOps += v[0];
                    vtdbNanos += v[1];
                    refOps += r[0];
                    refNanos += r[1];
                    vtdbCpu += v[2];
                    refCpu += r[2];
                }
            }
        }
        double mean = Arrays.stream(logRatios).average().orElseThrow();
        double sd = Math.sqrt(
                Arrays.stream(logRatios).map(x -> (x - mean) * (x - mean)).sum() / (rounds - 1));
        double half =
                new TDistribution(rounds - 1).inverseCumulativeProbability(1 - 0.001 / 2) * sd / Math.sqrt(rounds);
        double ratio = Math.exp(mean);
        double vtdbRate = vtdbOps * 1e9 / vtdbNanos;
        double refRate = refOps * 1e9 / refNanos;
        System.out.printf(
                Locale.ROOT,
                "%s callers=%d %s %.0f/s vs %s %.0f/s: ratio %.3f (99.9%% CI %.3f-%.3f, %d rounds)%n",
                benchmark,
                callers,
                subject,
                vtdbRate,
                reference,
                refRate,
                ratio,
                Math.exp(mean - half),
                Math.exp(mean + half),
                rounds);
        // the whole JVM's processor time per operation, both windows alike: what each peer costs the
        // client, apart from the server's share and the machine's changing speed
        System.out.printf(
                Locale.ROOT,
                "  client processor time per operation: %s %.3f µs, %s %.3f µs (ratio %.3f)%n",
                subject,
                vtdbCpu / vtdbOps / 1e3,
                reference,
                refCpu / refOps / 1e3,
                (vtdbCpu / vtdbOps) / (refCpu / refOps));
        if (threads) {
            printThreads(subject, vtdbThreads, vtdbOps);
            printThreads(reference, refThreads, refOps);
        }
        Map<String, Object> rec = SideResults.record("dev.vtdb.bench." + benchmark, Map.of());
        rec.put("kind", "paired");
        rec.put("peer", subject);
        rec.put("callers", callers);
        rec.put("ref_peer", reference);
        rec.put("score", vtdbRate);
        rec.put("ref_score", refRate);
        rec.put("ratio", ratio);
        rec.put("ratio_low", Math.exp(mean - half));
        rec.put("ratio_high", Math.exp(mean + half));
        rec.put("rounds", rounds);
        rec.put("round_seconds", window / 1e9);
        SideResults.append(rec);
    }

    /** The busiest thread groups of one peer's windows, in processor nanoseconds per operation. */
    private static void printThreads(String peer, Map<String, Long> totals, double ops) {
        System.out.printf(Locale.ROOT, "  threads during %s's windows (ns per operation):", peer);
        totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> System.out.printf(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue() / ops));
        System.out.println();
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Runs one window: {operations, elapsed nanoseconds, the JVM's processor nanoseconds}. */
    private static long[] timed(SqlPeer peer, long window, ToLongBiFunction<SqlPeer, Long> work) {
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        long ops = work.applyAsLong(peer, window);
        long t1 = System.nanoTime();
        return new long[] {ops, t1 - t0, OS.getProcessCpuTime() - cpu0};
    }
}
