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
 * PostgreSQL COPY FROM STDIN of 1,000,000 rows, encoded while sent (as asyncpg's {@code
 * copy_records_to_table} does). Only pgjdbc's CopyManager among the peers has COPY. The {@code
 * ops} counter is rows per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
public class PgCopy {
    /** The client library under test. */
    @Param({"jdbc-platform", "vtdb"})
    public String peer;

    private SqlPeer client;

    /** Connects the peer. */
    @Setup(Level.Trial)
    public void open() {
        client = SqlPeers.postgres(peer);
    }

    /** Empties {@code bench_copy}. */
    @Setup(Level.Iteration)
    public void truncate() {
        Workloads.truncatePg("bench_copy");
    }

    /** Closes the peer. */
    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    /**
     * Copies 1,000,000 rows.
     *
     * @param ops row counter
     * @return rows copied
     */
    @Benchmark
    public long copy(Measures.Ops ops) {
        long n = client.copyIn(Workloads.COPY_ROWS).join();
        ops.ops += n;
        return n;
    }
}
