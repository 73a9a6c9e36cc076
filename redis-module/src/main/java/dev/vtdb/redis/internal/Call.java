package dev.vtdb.redis.internal;

import dev.vtdb.DeadlineExceededException;
import dev.vtdb.internal.CallContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One entry of the request queue: a single command or a whole pipeline, with its deadline and the
 * future its caller holds.
 */
final class Call {
    final Op<?>[] ops;
    final CompletableFuture<?> handle;
    private final Runnable after;
    private final String description;
    final long startNanos;
    final long deadlineNanos;
    final Duration allowance;
    final CallContext context;
    /** When the watchdog gives up on the call (the deadline, plus grace for blocking commands). */
    long watchNanos;
    /** A dedicated call waiting for data (a blocking pop): {@code close} stops it at once. */
    boolean blocking;
    /** The virtual thread running a dedicated call. */
    volatile Thread thread;
    /** The connection a dedicated call holds while it runs, for {@code close} to cut. */
    volatile redis.clients.jedis.Connection connection;

    private static final int OPEN = 0;
    private static final int EXPIRED = 1;
    private static final int COMMITTING = 2;
    /** Whether the timer expired the call first or a commit ({@code EXEC}) was written first. */
    private final AtomicInteger commitState = new AtomicInteger(OPEN);
    /** The error for a deadline that passes while a commit's reply is awaited. */
    private volatile Supplier<RuntimeException> outcomeUnknown;

    Call(Op<?>[] ops, CompletableFuture<?> handle, Runnable after, String description, Duration timeout) {
        this.ops = ops;
        this.handle = handle;
        this.after = after;
        this.description = description;
        this.startNanos = System.nanoTime();
        long deadline = startNanos + timeout.toNanos();
        CallContext ctx = CallContext.current();
        if (ctx != null && ctx.deadlineNanos() < deadline) {
            deadline = ctx.deadlineNanos();
        }
        this.deadlineNanos = deadline;
        this.watchNanos = deadline;
        this.allowance = Duration.ofNanos(Math.max(0, deadline - startNanos));
        this.context = ctx;
    }

    static Call single(Op<?> op, Duration timeout) {
        return new Call(new Op<?>[] {op}, op.future, null, null, timeout);
    }

    String describe() {
        if (description != null) {
            return description;
        }
        return ops.length == 1 ? ops[0].describe() : "pipeline of " + ops.length + " commands";
    }

    boolean isDone() {
        return handle.isDone();
    }

    /**
     * Claims the call for writing, atomically with a caller's {@code cancel}: a call cancelled before
     * this is never sent, and once claimed {@code cancel} returns {@code false}.
     *
     * @return {@code false} when the call was cancelled or already completed: skip it
     */
    boolean claim() {
        return handle instanceof SendFuture<?> f ? f.claim() : !handle.isDone();
    }

    boolean expired(long now) {
        return now - deadlineNanos >= 0;
    }

    /** Completes every command from the replies, then the whole call. */
    void completeReplies(Engine engine) {
        for (Op<?> op : ops) {
            op.complete(engine);
        }
        if (after != null) {
            after.run();
        }
    }

    void fail(Throwable error) {
        for (Op<?> op : ops) {
            op.fail(error);
        }
        handle.completeExceptionally(error);
    }

    DeadlineExceededException deadlineError(Engine engine, String stage) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        return new DeadlineExceededException(
                engine.name() + ": " + describe() + " exceeded its deadline while " + stage + " (elapsed "
                        + elapsed.toMillis() + "ms, timeout " + allowance.toMillis() + "ms)",
                elapsed,
                allowance,
                null);
    }

    /**
     * Claims the right to write a commit ({@code EXEC}): from now on an expiring deadline fails the
     * call with {@code outcomeUnknown} instead of a plain deadline error.
     *
     * @param outcomeUnknown the error for a deadline passing while the commit's reply is awaited
     * @return {@code false} when the call already expired or was cancelled: write nothing
     */
    boolean beginCommit(Supplier<RuntimeException> outcomeUnknown) {
        this.outcomeUnknown = outcomeUnknown;
        return commitState.compareAndSet(OPEN, COMMITTING) && !isDone();
    }

    /** Ends a commit whose reply was read: the deadline is a plain deadline again (for a retry). */
    void endCommit() {
        commitState.compareAndSet(COMMITTING, OPEN);
    }

    /**
     * Fails a dedicated call that {@code close} stops: with {@code closed}, or with the commit's
     * outcome-unknown error when its {@code EXEC} was already written.
     *
     * @param closed the error for a call that wrote no commit
     */
    void failClosed(Supplier<RuntimeException> closed) {
        if (isDone()) {
            return;
        }
        if (commitState.compareAndSet(OPEN, EXPIRED)) {
            fail(closed.get());
        } else if (commitState.get() == COMMITTING) {
            fail(outcomeUnknown.get());
        }
    }

    void expire(Engine engine, String stage) {
        if (isDone()) {
            return;
        }
        if (commitState.compareAndSet(OPEN, EXPIRED)) {
            fail(deadlineError(engine, stage));
        } else if (commitState.get() == COMMITTING) {
            fail(outcomeUnknown.get());
        }
    }
}
