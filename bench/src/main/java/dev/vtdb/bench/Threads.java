package dev.vtdb.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Named threads and bounded executors for the peers: every thread a benchmark starts has a name. */
public final class Threads {
    /**
     * Queue bound of the platform-thread executors: room for the 100,000 waiting calls of the
     * in-flight memory measurement, and no more.
     */
    public static final int QUEUE_BOUND = 1 << 17;

    private Threads() {}

    /**
     * Creates a fixed pool of named platform threads with a bounded FIFO queue.
     *
     * @param prefix thread name prefix, e.g. {@code bench-jdbc-}
     * @param threads number of threads
     * @return the executor; a submit past {@link #QUEUE_BOUND} queued tasks throws {@code
     *     RejectedExecutionException}
     */
    public static ExecutorService fixedPlatform(String prefix, int threads) {
        ThreadFactory factory = Thread.ofPlatform().name(prefix, 0).daemon(true).factory();
        return new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_BOUND), factory);
    }

    /**
     * Creates a factory of named virtual threads, one per call.
     *
     * @param prefix thread name prefix, e.g. {@code bench-jdbc-vt-}
     * @return the factory
     */
    public static ThreadFactory virtual(String prefix) {
        return Thread.ofVirtual().name(prefix, 0).factory();
    }
}
