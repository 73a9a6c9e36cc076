package dev.vtdb.internal;

/**
 * Whether the thread reading a reply may poll for it before blocking, and for how long. The
 * socket layer of a driver module asks once per round trip, just before it would block waiting
 * for the server (PostgreSQL: {@code SpinWaitSocketFactory} in the postgres module).
 *
 * <p>Only the engine's latency worker spins (see {@code Worker}), and only while it runs the
 * engine's only call: then the reply of a quick statement usually arrives within tens of
 * microseconds, and catching it while still running saves the thread a sleep and a wake-up in the
 * kernel, which on a virtual machine costs about as much again. Every other thread, and the
 * latency worker when other calls run, blocks at once: their processors are better left to the
 * other calls and to the server.
 */
public final class SpinWait {
    private SpinWait() {}

    /**
     * Returns how long the current thread may poll for a reply before blocking.
     *
     * @return nanoseconds; zero means block at once
     */
    public static long budgetNanos() {
        return Thread.currentThread() instanceof Worker.LatencyThread t ? t.worker.spinNanos() : 0;
    }
}
