package dev.vtdb.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a batch of calls ended: completed, failed cleanly (exceptionally or cancelled) or hung (not
 * done within the bound). Used by the reliability scenarios of every module.
 *
 * @param completed calls that returned a value
 * @param failedCleanly calls that failed with an exception or were cancelled
 * @param hung calls not complete within the bound
 */
public record Outcome(int completed, int failedCleanly, int hung) {

    /**
     * Waits for a latch with a bound.
     *
     * @param latch the latch
     * @param bound how long to wait
     * @return whether it reached zero in time (false when interrupted)
     */
    public static boolean awaitLatch(CountDownLatch latch, Duration bound) {
        try {
            return latch.await(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Polls a condition on the server (every 20 ms, up to a bound) until it holds: for state no
     * future or latch reports, such as a statement showing up in the server's process list.
     *
     * @param bound how long to poll
     * @param condition the condition
     * @return whether it held in time
     */
    public static boolean eventually(Duration bound, BooleanSupplier condition) {
        long end = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return condition.getAsBoolean();
    }

    /**
     * Waits for every call, up to a bound each, and counts how they ended.
     *
     * @param calls the calls
     * @param bound how long each may still take
     * @return the counts
     */
    public static Outcome settle(List<? extends CompletableFuture<?>> calls, Duration bound) {
        int completed = 0;
        int failed = 0;
        int hung = 0;
        for (CompletableFuture<?> c : calls) {
            try {
                c.get(bound.toMillis(), TimeUnit.MILLISECONDS);
                completed++;
            } catch (CancellationException | ExecutionException e) {
                failed++;
            } catch (TimeoutException e) {
                hung++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return new Outcome(completed, failed, hung);
    }

    /**
     * Returns the exception a failed call ended with, unwrapped from {@link CompletionException}.
     *
     * @param f a completed future
     * @return its exception, or {@code null} when it succeeded
     */
    public static Throwable cause(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).join();
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * Prints the scenario's {@code RELIABILITY |} line, collected in docs/RELIABILITY.md.
     *
     * @param database the database
     * @param scenario the scenario
     * @param load the load
     * @param faults the faults injected
     * @param lost acknowledged writes missing afterwards
     * @param leaked calls, transactions or statements left behind
     */
    public void report(String database, String scenario, String load, String faults, long lost, long leaked) {
        System.out.printf(
                "RELIABILITY | %s | %s | %s | %s | %d / %d / %d | %d | %d%n",
                database, scenario, load, faults, completed, failedCleanly, hung, lost, leaked);
    }
}
