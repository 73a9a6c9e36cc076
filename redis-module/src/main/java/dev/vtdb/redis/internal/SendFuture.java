package dev.vtdb.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The future of a pipelined command (or a whole pipeline) that a worker claims, atomically with
 * {@link #cancel(boolean)}, right before writing it: {@code cancel} returns {@code true} only while
 * the command is still queued, so a cancelled command is never sent; once claimed it returns
 * {@code false} and the command completes from its reply.
 *
 * @param <T> result type
 */
final class SendFuture<T> extends CompletableFuture<T> {
    private static final int QUEUED = 0;
    private static final int SENT = 1;
    private static final int CANCELLED = 2;

    private final AtomicInteger state = new AtomicInteger(QUEUED);

    /**
     * Claims the command for writing.
     *
     * @return {@code false} when it was cancelled or already completed (a deadline, a refusal): do
     *     not send it
     */
    boolean claim() {
        if (!state.compareAndSet(QUEUED, SENT) && state.get() != SENT) {
            return false;
        }
        return !isDone();
    }

    /**
     * Cancels the command unless a worker already claimed it for writing.
     *
     * @param mayInterruptIfRunning ignored, as by {@link CompletableFuture}
     * @return {@code true} when the command is cancelled and will never be sent; {@code false} when
     *     it was already being written (it completes from its reply) or completed
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (state.compareAndSet(QUEUED, CANCELLED) || state.get() == CANCELLED) {
            return super.cancel(mayInterruptIfRunning) || isCancelled();
        }
        return false;
    }
}
