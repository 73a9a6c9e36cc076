package dev.vtdb.redis.internal;

import dev.vtdb.DeadlineExceededException;
import dev.vtdb.internal.CallContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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

    void expire(Engine engine, String stage) {
        if (!isDone()) {
            fail(deadlineError(engine, stage));
        }
    }
}
