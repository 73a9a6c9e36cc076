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
 * PostgreSQL bulk workloads from a single caller: executeMany of 10,000 rows in one transaction,
 * and a streaming read of 1,000,000 rows through a cursor (with the peak heap). The {@code ops}
 * counter is rows per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PgBulk {
    /** The client library under test. */
    @Param({"jdbc-platform", "vertx-pooled", "jdbi-executor", "vtdb"})
    public String peer;

    private SqlPeer client;

    /** Connects the peer. */
    @Setup(Level.Trial)
    public void open() {
        client = SqlPeers.postgres(peer);
    }

    /** Empties {@code bench_insert} so every iteration inserts into the same table size. */
    @Setup(Level.Iteration)
    public void truncate() {
        Workloads.truncatePg("bench_insert");
    }

    /** Closes the peer. */
    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    /**
     * Inserts 10,000 rows with the peer's batch API, all or nothing.
     *
     * @param ops row counter
     * @return rows inserted
     */
    @Benchmark
    public long executeMany(Measures.Ops ops) {
        long n = client.executeMany(Workloads.EXECUTE_MANY_ROWS).join();
        ops.ops += n;
        return n;
    }

    /**
     * Reads the 1,000,000 rows of {@code bench_stream} with a fetch size of 10,000.
     *
     * @param ops row counter
     * @param heap peak-heap probe
     * @return rows read
     */
    @Benchmark
    public long streamRead(Measures.Ops ops, Measures.HeapPeak heap) {
        long n = client.streamRead(Workloads.FETCH_SIZE).join();
        if (n != Workloads.STREAM_ROWS) {
            throw new IllegalStateException("read " + n + " rows, expected " + Workloads.STREAM_ROWS);
        }
        ops.ops += n;
        return n;
    }
}
