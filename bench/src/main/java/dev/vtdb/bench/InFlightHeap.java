package dev.vtdb.bench;

import dev.vtdb.bench.sql.SqlPeer;
import dev.vtdb.bench.sql.SqlPeers;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heap per in-flight call: fills the pool's {@value Servers#POOL_SIZE} connections with {@code
 * pg_sleep}, issues 100,000 point selects that must wait, and measures the live heap (after full
 * collections) before and after; writes {@code kind=memory} to {@code side.jsonl}.
 *
 * <p>Run one peer per JVM: {@code java -cp vtdb-bench.jar dev.vtdb.bench.InFlightHeap pg
 * jdbc-virtual [calls]}.
 */
public final class InFlightHeap {
    private InFlightHeap() {}

    /**
     * Measures one peer.
     *
     * @param args database ({@code pg} or {@code mysql}), peer name, optional number of calls
     * @throws Exception if the peer fails
     */
    public static void main(String[] args) throws Exception {
        String db = args[0];
        String peerName = args[1];
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        double sleepSeconds = Double.parseDouble(System.getProperty("vtdb.bench.sleepSeconds", "8"));
        try (SqlPeer peer = "pg".equals(db) ? SqlPeers.postgres(peerName) : SqlPeers.mysql(peerName)) {
            // warm the code paths the measurement runs
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<Integer>> warm = new ArrayList<>(2_000);
                for (int i = 0; i < 2_000; i++) {
                    warm.add(peer.pointSelect(Workloads.worldId(i)));
                }
                CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();
            }
            List<CompletableFuture<?>> sleepers = new ArrayList<>();
            for (int i = 0; i < Servers.POOL_SIZE; i++) {
                sleepers.add(peer.sleep(sleepSeconds));
            }
            // give the sleeps time to reach the server and hold every connection
            TimeUnit.MILLISECONDS.sleep(500);
            long before = liveHeap();
            @SuppressWarnings("unchecked")
            CompletableFuture<Integer>[] inFlight = new CompletableFuture[calls];
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                inFlight[i] = peer.pointSelect(Workloads.worldId(i));
            }
            long issueNanos = System.nanoTime() - t0;
            long after = liveHeap();
            int pending = 0;
            int refused = 0;
            for (CompletableFuture<Integer> f : inFlight) {
                if (!f.isDone()) {
                    pending++;
                } else if (f.isCompletedExceptionally()) {
                    // the admission bound: calls past it fail at once instead of queueing
                    refused++;
                }
            }
            boolean sleepersDone = sleepers.stream().allMatch(CompletableFuture::isDone);
            long arrayBytes = 16L + 4L * calls;
            double perCall = pending == 0 ? Double.NaN : (after - before - arrayBytes) / (double) pending;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", "memory");
            r.put("workload", "pg".equals(db) ? "PgInFlight.heapPerCall" : "MySqlInFlight.heapPerCall");
            r.put("peer", peerName);
            r.put("callers", calls);
            r.put("pending", pending);
            r.put("refused_at_once", refused);
            r.put("sleepers_done_early", String.valueOf(sleepersDone));
            r.put("issue_ms", issueNanos / 1e6);
            r.put("bytes_per_call", perCall);
            SideResults.append(r);
            System.out.printf(
                    "%s %s: %d calls, %d pending at measurement, %d refused at once, %.0f bytes/call, issued in %.0f"
                            + " ms%n",
                    db, peerName, calls, pending, refused, perCall, issueNanos / 1e6);
            // let the calls finish so the peer closes cleanly; the measurement is already written
            try {
                CompletableFuture.allOf(Arrays.stream(inFlight)
                                .map(f -> f.exceptionally(e -> null))
                                .toArray(CompletableFuture[]::new))
                        .get(20, TimeUnit.SECONDS);
                CompletableFuture.allOf(sleepers.toArray(CompletableFuture[]::new))
                        .get(1, TimeUnit.MINUTES);
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println("calls still running after the measurement; exiting without waiting");
                System.exit(0);
            }
        }
    }

    private static long liveHeap() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
