package dev.vtdb;

import dev.vtdb.internal.CallContext;
import dev.vtdb.internal.Owners;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.MDC;

/**
 * Structured concurrency without preview APIs: fork subtasks on virtual threads, {@link #join()}
 * them, and never leave one running after {@link #close()}.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open(Duration.ofSeconds(2))) {
 *     CompletableFuture<List<Row>> girls = scope.fork(() -> pg.fetch("select * from girl").join());
 *     CompletableFuture<String> name = scope.fork(() -> redis.get("girl:1").join());
 *     scope.join();                      // waits for both; throws the first failure
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The deadline applies to every vtdb call made inside the scope, by the opening thread and
 *       by every fork (nested scopes only shorten it).
 *   <li>The first failing fork cancels the others: their threads are interrupted and their vtdb
 *       calls cancelled on the server.
 *   <li>{@code close()} cancels what is still running and waits for every fork to end.
 *   <li>SLF4J's MDC of the opening thread is copied into each fork.
 *   <li>A fork made inside a {@code withConnection}/{@code inTransaction} callback may not use
 *       that callback's connection: such a call fails at once with a {@link VtdbException}.
 * </ul>
 *
 * A scope is owned by the thread that opened it: only that thread may fork, join and close.
 */
public final class Scope implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final long deadlineNanos;
    private final Duration timeout;
    private final long startNanos = System.nanoTime();
    private final Thread owner = Thread.currentThread();
    private final CallContext previous;
    private final CallContext context;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Fork<?>> forks = new ArrayList<>();
    private final Set<CompletableFuture<?>> calls = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private volatile boolean cancelled;
    private boolean closed;

    private Scope(Duration timeout) {
        this.timeout = timeout;
        CallContext outer = CallContext.current();
        long own = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        this.deadlineNanos = outer == null ? own : Math.min(own, outer.deadlineNanos());
        this.name = "vtdb-scope-" + IDS.incrementAndGet();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        this.context = new CallContext(this, deadlineNanos, Owners.currentOwner(outer), mdc);
        this.previous = CallContext.set(context);
    }

    /**
     * Opens a scope with no deadline of its own (an enclosing scope's still applies).
     *
     * @return the open scope
     */
    public static Scope open() {
        return new Scope(null);
    }

    /**
     * Opens a scope whose deadline covers every call made in it.
     *
     * @param timeout positive time allowed from now
     * @return the open scope
     * @throws IllegalArgumentException when the timeout is zero or negative
     */
    public static Scope open(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("scope timeout must be > 0 but was " + timeout);
        }
        return new Scope(timeout);
    }

    /**
     * Returns the time left before the scope's deadline.
     *
     * @return remaining time, or {@code null} when the scope has no deadline
     */
    public Duration remaining() {
        return deadlineNanos == Long.MAX_VALUE ? null : Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    /**
     * Runs a task on a new virtual thread inside this scope.
     *
     * @param task the task; it may block
     * @param <T> result type
     * @return the task's future; cancelling it interrupts the task
     * @throws IllegalStateException when called from another thread than the owner, or after
     *     close or failure
     */
    public <T> CompletableFuture<T> fork(Callable<T> task) {
        checkOwner("fork");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            if (cancelled) {
                throw new IllegalStateException(name + " was cancelled by an earlier failure", firstFailure.get());
            }
            Fork<T> fork = new Fork<>(this);
            forks.add(fork);
            Thread thread =
                    Thread.ofVirtual().name(name + "-fork-" + forks.size()).unstarted(() -> fork.run(task));
            fork.thread = thread;
            thread.start();
            return fork;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for every fork to finish, up to the scope's deadline.
     *
     * @throws VtdbException wrapping the first failure (its cause); a {@link
     *     DeadlineExceededException} when the deadline passes first (the forks are then cancelled)
     */
    public void join() {
        checkOwner("join");
        List<Fork<?>> snapshot;
        lock.lock();
        try {
            snapshot = List.copyOf(forks);
        } finally {
            lock.unlock();
        }
        for (Fork<?> f : snapshot) {
            try {
                if (deadlineNanos == Long.MAX_VALUE) {
                    f.get();
                } else {
                    f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelAll(e);
                throw new VtdbException(name + ": interrupted while joining", e);
            } catch (TimeoutException e) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
                DeadlineExceededException d = new DeadlineExceededException(
                        name + ": deadline passed while joining " + snapshot.size() + " forks (elapsed "
                                + elapsed.toMillis() + "ms, timeout " + timeout.toMillis() + "ms)",
                        elapsed,
                        timeout,
                        null);
                cancelAll(d);
                throw d;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // the first failure is recorded by the fork itself
            }
        }
        Throwable failure = unwrap(firstFailure.get());
        if (failure != null) {
            if (failure instanceof VtdbException v) {
                throw v;
            }
            throw new VtdbException(name + ": a fork failed: " + failure, failure);
        }
    }

    /** Cancels every unfinished fork and its vtdb calls, then waits for all forks to end. */
    @Override
    public void close() {
        checkOwner("close");
        List<Fork<?>> snapshot;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            snapshot = List.copyOf(forks);
        } finally {
            lock.unlock();
        }
        try {
            if (snapshot.stream().anyMatch(f -> !f.isDone())) {
                cancelAll(null);
            }
            boolean interrupted = false;
            for (Fork<?> f : snapshot) {
                while (true) {
                    try {
                        f.thread.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            CallContext.set(previous);
        }
    }

    /**
     * Registers a vtdb call made inside this scope so that a failure or close cancels it.
     * Internal: called by vtdb's database implementations.
     *
     * @param call the call's future
     */
    public void track(CompletableFuture<?> call) {
        if (cancelled) {
            call.cancel(true);
            return;
        }
        calls.add(call);
        call.whenComplete((v, e) -> calls.remove(call));
    }

    private void cancelAll(Throwable cause) {
        if (cause != null) {
            firstFailure.compareAndSet(null, cause);
        }
        cancelled = true;
        List<Fork<?>> snapshot;
        lock.lock();
        try {
            snapshot = List.copyOf(forks);
        } finally {
            lock.unlock();
        }
        for (CompletableFuture<?> c : calls) {
            c.cancel(true);
        }
        for (Fork<?> f : snapshot) {
            f.cancel(true);
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(name + ": " + what + " must be called by the thread that opened the scope ("
                    + owner.getName() + "), not " + Thread.currentThread().getName());
        }
    }

    @Override
    public String toString() {
        return name + "[forks=" + forks.size() + ", cancelled=" + cancelled + ", remaining="
                + (remaining() == null ? "none" : remaining().toMillis() + "ms") + "]";
    }

    private static final class Fork<T> extends CompletableFuture<T> {
        private final Scope scope;
        volatile Thread thread;

        Fork(Scope scope) {
            this.scope = scope;
        }

        void run(Callable<T> task) {
            CallContext.set(scope.context);
            if (scope.context.mdc() != null) {
                MDC.setContextMap(scope.context.mdc());
            }
            try {
                if (!isDone()) {
                    complete(task.call());
                }
            } catch (Throwable t) {
                if (!isCancelled()) {
                    scope.cancelAll(t);
                }
                completeExceptionally(t);
            } finally {
                MDC.clear();
                CallContext.set(null);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            Thread t = thread;
            if (t != null && mayInterruptIfRunning && t != Thread.currentThread()) {
                t.interrupt();
            }
            return done;
        }
    }
}
