package dev.vtdb.bench.report;

/**
 * One measured row: a peer running a workload at a number of callers.
 *
 * @param workload workload key, e.g. {@code PgPointSelect.pointSelect}
 * @param peer peer name, e.g. {@code jdbc-platform}, {@code python-asyncpg}, {@code pgbench}
 * @param callers requests in flight
 * @param score throughput in operations per second
 * @param error half-width of JMH's 99.9% confidence interval, {@code NaN} when unknown
 * @param p50us median latency in microseconds, {@code NaN} when unknown
 * @param p99us 99th percentile latency in microseconds, {@code NaN} when unknown
 * @param peakHeapMib peak heap in MiB, {@code NaN} when not measured
 * @param source {@code jmh}, {@code python} or the external tool
 */
record Result(
        String workload,
        String peer,
        int callers,
        double score,
        double error,
        double p50us,
        double p99us,
        double peakHeapMib,
        String source) {

    Result withLatency(double p50, double p99) {
        return new Result(workload, peer, callers, score, error, p50, p99, peakHeapMib, source);
    }

    Result withHeap(double mib) {
        return new Result(workload, peer, callers, score, error, p50us, p99us, mib, source);
    }
}
