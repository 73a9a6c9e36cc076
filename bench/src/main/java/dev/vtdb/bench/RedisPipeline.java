package dev.vtdb.bench;

import dev.vtdb.bench.redis.RedisPeer;
import dev.vtdb.bench.redis.RedisPeers;
import java.util.concurrent.ThreadLocalRandom;
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
 * An explicit pipeline of 100 GETs per request, {@code callers} requests in flight; the {@code
 * ops} counter is commands per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RedisPipeline {
    /** Commands per pipeline. */
    public static final int COMMANDS = 100;

    /** The client library under test. */
    @Param({"jedis-platform", "lettuce-async", "vtdb"})
    public String peer;

    /** Pipelines in flight. */
    @Param({"1"})
    public int callers;

    private RedisPeer client;

    /** Connects the peer and writes the 10,000 keys. */
    @Setup(Level.Trial)
    public void open() {
        client = RedisPeers.open(peer);
        for (String k : RedisCommands.KEYS) {
            client.set(k, "xxx").join();
        }
    }

    /** Closes the peer. */
    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    private static String[] randomKeys() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] keys = new String[COMMANDS];
        for (int i = 0; i < COMMANDS; i++) {
            keys[i] = RedisCommands.KEYS[r.nextInt(RedisCommands.KEYS.length)];
        }
        return keys;
    }

    /**
     * Pipelines of 100 GETs in a closed loop.
     *
     * @param ops command counter
     * @param latency latency recorder (per pipeline)
     * @return commands completed
     */
    @Benchmark
    public int pipeline100(Measures.Ops ops, Measures.Latency latency) {
        int n = ClosedLoop.run(
                callers, Workloads.WINDOW_NANOS, r -> client.pipelineGets(randomKeys()), latency.recorder);
        ops.ops += (long) n * COMMANDS;
        return n;
    }
}
