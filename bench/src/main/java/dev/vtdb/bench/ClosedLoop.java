package dev.vtdb.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;

/**
 * The one load model every peer is measured with: {@code callers} independent callers, each with
 * exactly one request in flight, each issuing its next request as soon as its previous one
 * completes (a closed loop), until a time window has passed; then the requests in flight drain.
 *
 * <p>The calling thread only waits; requests are issued from the completion callbacks, so the
 * number of requests in flight is exactly {@code callers} until the final drain. Each request's
 * latency (issue to completion) is recorded into a {@link Recorder}.
 */
public final class ClosedLoop {
    private ClosedLoop() {}

    /**
     * Runs the loop and waits for every request to complete.
     *
     * @param callers requests kept in flight
     * @param windowNanos how long callers keep issuing new requests; each caller issues at least
     *     one
     * @param call issues one request; the argument is a random number in {@code [0, 2^31)}
     * @param latency where latencies in nanoseconds go; may be {@code null}
     * @return the number of requests completed
     * @throws IllegalStateException if a request failed (the first failure is the cause) or the
     *     loop did not finish within 10 minutes
     */
    public static int run(int callers, long windowNanos, IntFunction<CompletableFuture<?>> call, Recorder latency) {
        Loop loop = new Loop(callers, System.nanoTime() + windowNanos, call, latency);
        for (int i = 0; i < callers; i++) {
            loop.drive(true);
        }
        try {
            if (!loop.done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("closed loop stuck: " + loop.completed.get()
                        + " requests completed with " + callers + " callers");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Throwable failure = loop.failure.get();
        if (failure != null) {
            throw new IllegalStateException("request failed: " + failure, failure);
        }
        return loop.completed.get();
    }

    private static final class Loop {
        final AtomicInteger completed = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch done;
        final long deadline;
        final IntFunction<CompletableFuture<?>> call;
        final Recorder latency;

        Loop(int callers, long deadline, IntFunction<CompletableFuture<?>> call, Recorder latency) {
            this.done = new CountDownLatch(callers);
            this.deadline = deadline;
            this.call = call;
            this.latency = latency;
        }

        /** One caller's loop; re-entered from completion callbacks. */
        void drive(boolean first) {
            boolean mustIssue = first;
            while (true) {
                if (failure.get() != null || (!mustIssue && System.nanoTime() - deadline > 0)) {
                    done.countDown();
                    return;
                }
                mustIssue = false;
                long start = System.nanoTime();
                CompletableFuture<?> f;
                try {
                    f = call.apply(ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                if (f.isDone()) {
                    // completed synchronously: iterate instead of recursing
                    if (!complete(f, start)) {
                        done.countDown();
                        return;
                    }
                    continue;
                }
                f.whenComplete((r, e) -> {
                    if (complete(e, start)) {
                        drive(false);
                    } else {
                        done.countDown();
                    }
                });
                return;
            }
        }

        private boolean complete(CompletableFuture<?> f, long start) {
            Throwable e = null;
            if (f.isCompletedExceptionally()) {
                e = f.exceptionNow();
            }
            return complete(e, start);
        }

        private boolean complete(Throwable e, long start) {
            if (e != null) {
                failure.compareAndSet(null, e);
                return false;
            }
            if (latency != null) {
                latency.recordValue(Math.max(1, System.nanoTime() - start));
            }
            completed.incrementAndGet();
            return true;
        }
    }
}
