package dev.vtdb.bench;

import dev.vtdb.bench.redis.RedisPeer;
import dev.vtdb.bench.redis.RedisPeers;
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
 * Redis GET and SET of random keys among 10,000 ({@code vtdb-bench:key:N}, 3-byte values, as
 * redis-benchmark) with {@code callers} commands in flight; the {@code ops} counter is commands per
 * second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RedisCommands {
    /** The client library under test. */
    @Param({"jedis-platform", "lettuce-async", "vtdb"})
    public String peer;

    /** Commands in flight. */
    @Param({"1", "256", "4096"})
    public int callers;

    static final String[] KEYS = keys();

    private RedisPeer client;

    static String[] keys() {
        String[] keys = new String[Servers.REDIS_KEYS];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Servers.REDIS_PREFIX + i;
        }
        return keys;
    }

    /** Connects the peer and writes the 10,000 keys. */
    @Setup(Level.Trial)
    public void open() {
        client = RedisPeers.open(peer);
        for (String k : KEYS) {
            client.set(k, "xxx").join();
        }
    }

    /** Closes the peer. */
    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    /**
     * GETs in a closed loop.
     *
     * @param ops command counter
     * @param latency latency recorder
     * @return commands completed
     */
    @Benchmark
    public int get(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(
                callers, Workloads.WINDOW_NANOS, r -> client.get(KEYS[r % KEYS.length]), latency.recorder);
        ops.ops += n;
        return n;
    }

    /**
     * SETs in a closed loop.
     *
     * @param ops command counter
     * @param latency latency recorder
     * @return commands completed
     */
    @Benchmark
    public int set(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(
                callers, Workloads.WINDOW_NANOS, r -> client.set(KEYS[r % KEYS.length], "xxx"), latency.recorder);
        ops.ops += n;
        return n;
    }
}
