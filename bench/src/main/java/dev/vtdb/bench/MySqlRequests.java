package dev.vtdb.bench;

import dev.vtdb.bench.sql.SqlPeer;
import dev.vtdb.bench.sql.SqlPeers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MariaDB/MySQL web-request workloads (TechEmpower "multiple queries", "fortunes", "updates") with
 * {@code callers} requests in flight; the {@code ops} counter is requests per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MySqlRequests {
    /** The client library under test. */
    @Param({"jdbc-platform", "vertx-pooled", "vtdb"})
    public String peer;

    /** Requests in flight. */
    @Param({"256"})
    public int callers;

    private SqlPeer client;

    /** Connects the peer and checks it answers. */
    @Setup(Level.Trial)
    public void open() {
        client = SqlPeers.mysql(peer);
        client.pointSelect(1).join();
    }

    /** Closes the peer. */
    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    /**
     * 20 point selects per request.
     *
     * @param ops request counter
     * @param latency latency recorder
     * @return requests completed
     */
    @Benchmark
    public int queries20(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(
                callers, Workloads.WINDOW_NANOS, r -> client.multiSelect(Workloads.randomIds()), latency.recorder);
        ops.ops += n;
        return n;
    }

    /**
     * Fetch the 12 fortunes and map them to objects.
     *
     * @param ops request counter
     * @param latency latency recorder
     * @return requests completed
     */
    @Benchmark
    public int fortunes(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(callers, Workloads.WINDOW_NANOS, r -> client.fortunes(), latency.recorder);
        ops.ops += n;
        return n;
    }

    /**
     * 20 updates per request, as one batch.
     *
     * @param ops request counter
     * @param latency latency recorder
     * @return requests completed
     */
    @Benchmark
    public int updates20(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(callers, Workloads.WINDOW_NANOS, r -> Workloads.updates(client), latency.recorder);
        ops.ops += n;
        return n;
    }
}
