package dev.vtdb.internal;

import dev.vtdb.DeadlineExceededException;
import dev.vtdb.SessionCallback;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One queued call: the work, its deadline and the future the caller holds. Cancelling the future
 * drops a queued request or cancels the running statement on the server.
 *
 * @param <T> result type
 */
final class Request<T> extends CompletableFuture<T> {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;

    final Engine engine;
    final String operation;
    final String sql;
    final SessionCallback<T> work;
    /** The work, when it is a read that may share a round trip with other queued reads (see {@link Pipelined}). */
    final Pipelined<T> pipelined;

    final long startNanos;
    final long deadlineNanos;
    final Duration timeout;
    final AtomicInteger state = new AtomicInteger(QUEUED);
    volatile Worker worker;
    volatile ScheduledFuture<?> timer;
    volatile boolean deadlineHit;
    /** The deadline is watched by {@link EngineWatch} instead of a timer task. */
    volatile boolean watched;

    volatile boolean interrupted;
    /** The worker waits for a connection for this request ({@link Engine#acquire}). */
    volatile boolean acquiring;
    /** While {@link #acquiring}: the pool's last failure to connect, if any. */
    volatile Throwable connectFailure;

    Request(
            Engine engine,
            String operation,
            String sql,
            SessionCallback<T> work,
            long start,
            long deadline,
            Duration timeout) {
        this.engine = engine;
        this.operation = operation;
        this.sql = sql;
        this.work = work;
        this.pipelined = work instanceof Pipelined<T> p ? p : null;
        this.startNanos = start;
        this.deadlineNanos = deadline;
        this.timeout = timeout;
    }

    /** Claims the request for a worker; false when it was cancelled or expired while queued. */
    boolean tryStart(Worker w) {
        worker = w;
        return state.compareAndSet(QUEUED, RUNNING);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!super.cancel(mayInterruptIfRunning)) {
            return false;
        }
        cancelTimer();
        if (!state.compareAndSet(QUEUED, DONE) && state.get() == RUNNING) {
            interruptRunning();
            engine.scheduleGrace(this, false);
        }
        return true;
    }

    void onDeadline() {
        deadlineHit = true;
        if (state.compareAndSet(QUEUED, DONE)) {
            completeExceptionally(deadlineException("while queued (" + engine.countersText() + ")", null));
        } else if (state.get() == RUNNING) {
            interruptRunning();
            engine.scheduleGrace(this, true);
        }
    }

    /**
     * Called shortly after the deadline when the worker has not finished yet (the server or the
     * network is slow to honour the cancel): the caller gets its failure now, the worker cleans up
     * in the background.
     */
    void onDeadlineLate() {
        if (state.get() == RUNNING) {
            completeExceptionally(
                    acquiring
                            ? acquireDeadlineException()
                            : deadlineException(
                                    "while running; the cancel was sent but the statement has not stopped yet", null));
        }
    }

    /** The deadline passed while the worker waited for a connection: says so, with the pool's last failure. */
    DeadlineExceededException acquireDeadlineException() {
        Throwable failure = connectFailure;
        return deadlineException(
                "while waiting for a connection to " + engine.driver().describeServer() + " ("
                        + engine.countersText() + ")"
                        + (failure == null ? "" : "; last failure: " + Errors.describeConnectFailure(failure)),
                failure);
    }

    /** Called when the grace after a cancel or deadline passed and the worker still holds us. */
    void onGraceExpired() {
        Worker w = worker;
        if (state.get() == RUNNING && w != null) {
            w.abortConnection(this);
        }
    }

    private void interruptRunning() {
        interrupted = true;
        Worker w = worker;
        if (w != null) {
            w.cancelStatement(this);
        }
    }

    DeadlineExceededException deadlineException(String where, Throwable cause) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        return new DeadlineExceededException(
                engine.name() + " " + operation + " exceeded its deadline " + where + ": elapsed " + elapsed.toMillis()
                        + "ms, timeout " + timeout.toMillis() + "ms"
                        + (sql == null
                                ? ""
                                : " — SQL: "
                                        + Errors.abbreviate(SqlParser.redact(
                                                sql, engine.driver().sqlFlavor()))),
                elapsed,
                timeout,
                cause);
    }

    void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Marks the request finished; the caller then completes the future. */
    void finish() {
        state.set(DONE);
        cancelTimer();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public String toString() {
        return "Request[" + operation + ", state=" + state.get() + ", " + super.toString() + "]";
    }
}
