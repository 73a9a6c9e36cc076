package dev.vtdb.internal;

import java.time.Duration;

/**
 * Whether the thread reading a reply may poll for it before blocking, and for how long. The
 * socket layer asks once per round trip, just before it would block waiting for the server
 * ({@link SpinWaitSocket}, which the PostgreSQL and MySQL modules give their drivers).
 *
 * <p>Only the engine's latency worker spins (see {@code Worker}), and only while it runs the
 * engine's only call: then the reply of a quick statement usually arrives within tens of
 * microseconds, and catching it while still running saves the thread a sleep and a wake-up in the
 * kernel, which on a virtual machine costs about as much again. Every other thread, and the
 * latency worker when other calls run, blocks at once: their processors are better left to the
 * other calls and to the server. A cursor's chunks never poll ({@link #beginBulk}): their replies
 * take longer than any spin, which would only take the processor from the server producing them.
 */
public final class SpinWait {
    /** The longest spin wait the options accept. */
    public static final Duration MAX = Duration.ofMillis(1);

    private SpinWait() {}

    /**
     * Checks a spin wait given in options.
     *
     * @param spinWait the wait
     * @return the wait
     * @throws IllegalArgumentException unless it is between zero and {@link #MAX}
     */
    public static Duration check(Duration spinWait) {
        if (spinWait == null || spinWait.isNegative() || spinWait.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("spinWait must be between 0 and 1ms but was " + spinWait);
        }
        return spinWait;
    }

    /**
     * Returns how long the current thread may poll for a reply before blocking.
     *
     * @return nanoseconds; zero means block at once
     */
    public static long budgetNanos() {
        return Thread.currentThread() instanceof Worker.LatencyThread t && !t.bulk ? t.worker.spinNanos() : 0;
    }

    /**
     * Marks the current thread's next replies as bulk (a cursor's chunk of rows) until {@link
     * #endBulk}: it blocks for them at once.
     *
     * @return the mark before, for {@link #endBulk}
     */
    static boolean beginBulk() {
        if (Thread.currentThread() instanceof Worker.LatencyThread t) {
            boolean was = t.bulk;
            t.bulk = true;
            return was;
        }
        return false;
    }

    /**
     * Restores the mark {@link #beginBulk} returned.
     *
     * @param was the mark before
     */
    static void endBulk(boolean was) {
        if (Thread.currentThread() instanceof Worker.LatencyThread t) {
            t.bulk = was;
        }
    }
}
