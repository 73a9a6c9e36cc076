package dev.vtdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/** JMH states shared by the benchmarks: operation counters, latency histograms, peak heap. */
public final class Measures {
    private Measures() {}

    /**
     * Counts individual operations (queries, commands, rows) so JMH reports them per second next
     * to the per-invocation score; the report uses this counter as the throughput.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Ops {
        /** Operations completed in this iteration. */
        public long ops;

        /** Zeroes the counter at the start of each iteration. */
        @Setup(Level.Iteration)
        public void clean() {
            ops = 0;
        }
    }

    private static Map<String, String> params(BenchmarkParams p) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.getParamsKeys()) {
            m.put(k, p.getParam(k));
        }
        return m;
    }

    /**
     * Per-request latency over the measurement iterations of one trial (warmup excluded),
     * written to {@code side.jsonl} as p50/p90/p99/p99.9/max in microseconds.
     */
    @State(Scope.Benchmark)
    public static class Latency {
        /** Where the closed loop records each request's latency in nanoseconds. */
        public final Recorder recorder = new Recorder(3);

        private final Histogram total = new Histogram(3);
        private BenchmarkParams params;
        private boolean measuring;

        /**
         * Remembers the benchmark and its parameters.
         *
         * @param p injected by JMH
         */
        @Setup(Level.Trial)
        public void trial(BenchmarkParams p) {
            params = p;
        }

        /**
         * Starts an interval.
         *
         * @param ip injected by JMH; warmup iterations are not kept
         */
        @Setup(Level.Iteration)
        public void iteration(IterationParams ip) {
            recorder.reset();
            measuring = ip.getType() == IterationType.MEASUREMENT;
        }

        /** Ends an interval, keeping it if it was a measurement iteration. */
        @TearDown(Level.Iteration)
        public void endIteration() {
            Histogram h = recorder.getIntervalHistogram();
            if (measuring) {
                total.add(h);
            }
        }

        /** Writes the percentiles of the trial. */
        @TearDown(Level.Trial)
        public void write() {
            if (total.getTotalCount() == 0) {
                return;
            }
            Map<String, Object> r = SideResults.record(params.getBenchmark(), params(params));
            r.put("kind", "latency");
            r.put("count", total.getTotalCount());
            r.put("p50_us", total.getValueAtPercentile(50) / 1000.0);
            r.put("p90_us", total.getValueAtPercentile(90) / 1000.0);
            r.put("p99_us", total.getValueAtPercentile(99) / 1000.0);
            r.put("p999_us", total.getValueAtPercentile(99.9) / 1000.0);
            r.put("max_us", total.getMaxValue() / 1000.0);
            SideResults.append(r);
        }
    }

    /**
     * Peak heap during the measurement iterations of one trial: the sum of the peak usage of the
     * heap memory pools (an upper bound of the true simultaneous peak), written to {@code
     * side.jsonl} in MiB. The heap is collected before each iteration so the baseline is the live
     * set.
     */
    @State(Scope.Benchmark)
    public static class HeapPeak {
        private BenchmarkParams params;
        private boolean measuring;
        private long maxPeak;

        /**
         * Remembers the benchmark and its parameters.
         *
         * @param p injected by JMH
         */
        @Setup(Level.Trial)
        public void trial(BenchmarkParams p) {
            params = p;
        }

        /**
         * Collects garbage and resets the pools' peak counters.
         *
         * @param ip injected by JMH; warmup iterations are not kept
         */
        @Setup(Level.Iteration)
        public void iteration(IterationParams ip) {
            measuring = ip.getType() == IterationType.MEASUREMENT;
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
        }

        /** Reads the peaks of the iteration. */
        @TearDown(Level.Iteration)
        public void endIteration() {
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    sum += pool.getPeakUsage().getUsed();
                }
            }
            if (measuring) {
                maxPeak = Math.max(maxPeak, sum);
            }
        }

        /** Writes the peak of the trial. */
        @TearDown(Level.Trial)
        public void write() {
            if (maxPeak == 0) {
                return;
            }
            Map<String, Object> r = SideResults.record(params.getBenchmark(), params(params));
            r.put("kind", "heap");
            r.put("peak_heap_mib", maxPeak / (1024.0 * 1024.0));
            SideResults.append(r);
        }
    }
}
