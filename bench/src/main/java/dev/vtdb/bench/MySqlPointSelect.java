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
 * MariaDB/MySQL point select by random id (TechEmpower "single query") with {@code callers}
 * requests in flight ({@link ClosedLoop}); the {@code ops} counter is queries per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class MySqlPointSelect {
    /** The client library under test. */
    @Param({"jdbc-platform", "vertx-pooled", "vtdb"})
    public String peer;

    /** Requests in flight. */
    @Param({"1", "16", "256", "4096"})
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
     * Runs one closed-loop batch of point selects.
     *
     * @param ops query counter
     * @param latency latency recorder
     * @return queries completed
     */
    @Benchmark
    public int pointSelect(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(
                callers, Workloads.WINDOW_NANOS, r -> client.pointSelect(Workloads.worldId(r)), latency.recorder);
        ops.ops += n;
        return n;
    }
}
