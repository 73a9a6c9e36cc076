package dev.vtdb.internal;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.Row;
import dev.vtdb.VtdbException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that owns one pooled connection and drains the engine's queue. It gives the
 * connection back to HikariCP when idle, after {@link #MAX_HOLD}, and (evicting it) after a
 * connection error, so HikariCP's lifetime, validation and leak rules still apply.
 *
 * <p>Every worker is a virtual thread but the engine's first, the <em>latency worker</em>: a
 * platform thread, woken before any other when it is idle. A lone caller is then served the way
 * pgjdbc on the caller's own thread is: the worker blocks in the kernel's read and the kernel
 * wakes it when the reply arrives. A virtual worker's read parks it instead, and the reply wakes
 * the JDK's poller, which schedules the worker on a carrier thread that has to be woken too: two
 * thread wake-ups per call, which on a small virtual machine cost more than the call's own work
 * (one caller: 12k against 21-23k PostgreSQL point selects/s, bench/PROFILES.md). Under
 * concurrency the latency worker is one of many and the virtual workers share the carriers. While
 * it runs its engine's only call, it may also poll for the reply before blocking at all ({@link
 * SpinWait}, {@link #spinNanos}).
 */
final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    static final Duration MAX_HOLD = Duration.ofSeconds(60);
    private static final long IDLE_RELEASE_MS = 1000;
    private static final long CANCEL_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Request<Object> STOP = new Request<>(null, "stop", null, s -> null, 0, 0, Duration.ZERO);

    private final Engine engine;
    private final String name;
    private Thread thread;
    private Connection connection;
    private JdbcSession session;
    private long acquiredAt;
    private volatile Request<?> current;
    /** The reads sharing the running round trip (see {@link Pipelined}), or {@code null}. */
    private volatile Request<?>[] group;
    /**
     * Calls made by completion callbacks running on this worker, run next (see handOff): one call,
     * or several reads that may share a round trip. Only this worker adds; it and the watch take.
     */
    private final ConcurrentLinkedDeque<Request<?>> kept = new ConcurrentLinkedDeque<>();

    /**
     * Set while waiting for a call (a virtual worker also sits on the engine's stack of parked
     * workers meanwhile; the latency worker does not); cleared by whoever wakes it.
     */
    private volatile boolean waiting;

    private static final VarHandle WAITING;

    static {
        try {
            WAITING = MethodHandles.lookup().findVarHandle(Worker.class, "waiting", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long handoffAt;
    private volatile boolean completing;

    /** Whether this is the engine's latency worker, a platform thread (see the class comment). */
    final boolean latency;

    Worker(Engine engine, int id, boolean latency) {
        this.engine = engine;
        this.name = engine.name() + "-worker-" + id;
        this.latency = latency;
    }

    void start() {
        if (latency) {
            thread = new LatencyThread(this);
            thread.start();
        } else {
            thread = Thread.ofVirtual().name(name).start(this::loop);
        }
    }

    /** The latency worker's platform thread; {@link SpinWait} recognises it. */
    static final class LatencyThread extends Thread {
        final Worker worker;

        /** Set while it reads a cursor's rows ({@link SpinWait#beginBulk}); only it reads and writes it. */
        boolean bulk;

        LatencyThread(Worker worker) {
            super(worker::loop, worker.name);
            this.worker = worker;
            setDaemon(true);
        }
    }

    /**
     * How long this worker's next read of a reply may poll before blocking: the engine's spin wait
     * while it runs one call (not reads sharing a round trip, whose replies take as many times
     * longer) and every other worker is idle (the call is the engine's only one, so the spin takes a
     * processor no other call of this engine is waiting for), else zero.
     */
    long spinNanos() {
        long s = engine.spinNanos;
        return s > 0 && group == null && engine.idleWorkers.get() >= engine.workerCount() - 1 ? s : 0;
    }

    void stop() {
        // the queue was drained or is idle: there is room for the pill
        while (!engine.enqueue(STOP)) {
            Request<?> r = engine.queue.poll();
            if (r != null && r.state.compareAndSet(Request.QUEUED, Request.DONE)) {
                r.completeExceptionally(
                        new DatabaseClosedException(engine.name() + " was closed before this call ran"));
            }
        }
    }

    void join(Duration bound) {
        try {
            if (!thread.join(bound)) {
                LOG.warn("{} did not stop within {}ms", name, bound.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        engine.currentWorker.set(this);
        try {
            while (true) {
                Request<?> r = kept.pollFirst();
                if (r == STOP) {
                    return;
                }
                if (r == null) {
                    r = engine.queue.poll();
                }
                if (r == null) {
                    r = awaitWork();
                }
                if (r == null) {
                    release(false);
                    continue;
                }
                if (r == STOP) {
                    return;
                }
                engine.idleWorkers.decrementAndGet();
                try {
                    run(r);
                } finally {
                    engine.idleWorkers.incrementAndGet();
                }
            }
        } finally {
            engine.currentWorker.remove();
            release(false);
        }
    }

    /**
     * Waits for a call on top of the engine's stack of parked workers, so the worker parked last
     * is woken first: at low concurrency the same few workers (and connections, with their
     * prepared statements) serve every call, and the others give their connections back after
     * {@link #IDLE_RELEASE_MS}. The latency worker waits beside the stack and is woken before it.
     * A worker holding no connection waits without a bound.
     *
     * @return a queued call, or {@code null} when {@link #IDLE_RELEASE_MS} passed without one
     */
    private Request<?> awaitWork() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_RELEASE_MS);
        while (true) {
            waiting = true;
            if (!latency) {
                engine.parked.addFirst(this);
            }
            // a call queued before this worker was on the stack woke nobody: look once more
            Request<?> r = engine.queue.poll();
            while (r == null && waiting) {
                if (connection == null) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
                Thread.interrupted(); // nothing interrupts a worker on purpose: never spin on a stray one
            }
            if (WAITING.compareAndSet(this, true, false) && !latency) {
                // nobody took this worker off the stack: it timed out, or found the call itself
                engine.parked.remove(this);
            }
            if (r == null) {
                r = engine.queue.poll(); // woken: another worker may have taken the call first
            }
            if (r != null || (connection != null && deadline - System.nanoTime() <= 0)) {
                return r;
            }
        }
    }

    /**
     * Wakes this worker if it still waits for a call.
     *
     * @return false when it stopped waiting by itself meanwhile, or was not waiting
     */
    boolean wake() {
        if (!waiting || !WAITING.compareAndSet(this, true, false)) {
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    /**
     * Keeps a call submitted by a completion callback running on this worker, to run it as soon as
     * the callback returns, without waking another worker ({@link EngineWatch} moves it to the
     * queue if the callback blocks instead). Reads that may share a round trip are kept together
     * (up to the pipeline limit): the callers of a round trip that issue their next read from its
     * completion stay one round trip, instead of waking a worker each.
     *
     * @return false when this worker is not completing a call, or keeps one the call cannot join
     */
    boolean handOff(Request<?> r) {
        if (!completing) {
            return false;
        }
        Request<?> first = kept.peekFirst();
        if (first == null) {
            handoffAt = System.nanoTime();
            kept.addLast(r);
            return true;
        }
        if (first.pipelined != null
                && first.pipelined.fits(r.pipelined)
                && kept.size() < engine.driver().pipelineLimit()) {
            kept.addLast(r);
            return true;
        }
        return false;
    }

    /**
     * Called by {@link EngineWatch} every tick: fails the running call when its deadline passed and
     * no timer task watches it, and requeues a kept call the worker has not taken within a tick.
     *
     * @return whether this worker has a call running or kept
     */
    boolean tick(long now) {
        boolean busy = false;
        Request<?> c = current;
        if (c != null) {
            busy = true;
            checkDeadline(c, now);
        }
        Request<?>[] g = group;
        if (g != null) {
            busy = true;
            for (Request<?> m : g) {
                checkDeadline(m, now);
            }
        }
        if (!kept.isEmpty()) {
            busy = true;
            if (now - handoffAt >= EngineWatch.TICK_NANOS) {
                Request<?> r;
                while ((r = kept.pollFirst()) != null) {
                    engine.requeue(r);
                }
            }
        }
        return busy;
    }

    private static void checkDeadline(Request<?> r, long now) {
        if (r.watched && !r.deadlineHit && now - r.deadlineNanos >= 0) {
            r.onDeadline();
        }
    }

    /** Whether {@code r} runs on this worker now, alone or sharing a round trip. */
    private boolean runs(Request<?> r) {
        if (current == r) {
            return true;
        }
        Request<?>[] g = group;
        if (g != null) {
            for (Request<?> m : g) {
                if (m == r) {
                    return true;
                }
            }
        }
        return false;
    }

    int kept() {
        return kept.size();
    }

    private void run(Request<?> r) {
        if (!claim(r)) {
            return;
        }
        if (r.pipelined != null && engine.mayShare(r.pipelined)) {
            List<Request<?>> together = takeFitting(r, engine.driver().pipelineLimit());
            if (together != null) {
                runPipelined(together);
                return;
            }
        }
        runClaimed(r, false);
    }

    /**
     * Takes the queued reads right behind {@code lead} that may share its round trip.
     *
     * @return the lead and the reads taken, or {@code null} when there was none
     */
    private List<Request<?>> takeFitting(Request<?> lead, int limit) {
        // first the reads kept from this worker's last completions, then the shared queue; a read
        // that does not fit, taken in place of one peeked at (the watch moved that one to the
        // queue, or another worker took it), goes back to this worker's kept calls
        List<Request<?>> together = takeFitting(lead, null, limit, kept, kept::addFirst);
        return takeFitting(lead, together, limit, engine.queue, this::keep);
    }

    private List<Request<?>> takeFitting(
            Request<?> lead,
            List<Request<?>> together,
            int limit,
            Queue<Request<?>> from,
            Consumer<Request<?>> misfit) {
        List<Request<?>> list = together;
        while (list == null || list.size() < limit) {
            Request<?> n = from.peek();
            if (n == null || !lead.pipelined.fits(n.pipelined)) {
                break;
            }
            n = from.poll();
            if (n == null) {
                break;
            }
            if (!lead.pipelined.fits(n.pipelined)) {
                misfit.accept(n);
                break;
            }
            if (claim(n)) {
                if (list == null) {
                    list = new ArrayList<>(limit);
                    list.add(lead);
                }
                list.add(n);
            }
        }
        return list;
    }

    /**
     * Claims a taken call for this worker; false when it was cancelled, or expired in the queue
     * (then failed here, without touching the server, if the watch has not failed it yet).
     */
    private boolean claim(Request<?> r) {
        if (r.deadlineNanos - System.nanoTime() <= 0) {
            r.onDeadline();
            r.cancelTimer();
            return false;
        }
        return r.tryStart(this);
    }

    private void keep(Request<?> r) {
        handoffAt = System.nanoTime();
        kept.addLast(r);
    }

    /**
     * Runs reads of one statement in one round trip. When that fails, reads that were cancelled
     * or hit their deadline, and all of them when the connection was lost, fail as they would
     * have alone; the others run again one by one (nothing of the shared execute was committed).
     */
    private void runPipelined(List<Request<?>> together) {
        int n = together.size();
        engine.callsStarted(n);
        Request<?> lead = together.getFirst();
        current = lead;
        group = together.toArray(new Request<?>[0]);
        List<List<Row>> rows = null;
        Throwable failure = null;
        try {
            ensureConnection(lead);
            session.beginShared(lead);
            List<Pipelined<?>> reads = new ArrayList<>(n);
            for (Request<?> r : together) {
                reads.add(r.pipelined);
            }
            long started = System.nanoTime();
            rows = session.queryPipelined(reads);
            engine.readTook(lead.pipelined, (System.nanoTime() - started) / n);
            session.end(null);
        } catch (Throwable t) {
            failure = t;
            if (session != null) {
                session.end(t);
            }
        } finally {
            current = null;
            group = null;
            releaseIfDue();
        }
        boolean lost = failure instanceof ConnectionLostException || (failure != null && connection == null);
        List<Request<?>> again = new ArrayList<>();
        boolean[] ended = new boolean[n];
        for (int i = 0; i < n; i++) {
            Request<?> r = together.get(i);
            if (failure != null && !lost && !r.interrupted) {
                again.add(r);
            } else {
                r.finish();
                engine.callEnded();
                ended[i] = true;
            }
        }
        completing = true;
        try {
            for (int i = 0; i < n; i++) {
                Request<?> r = together.get(i);
                if (!ended[i]) {
                    continue;
                }
                if (failure == null) {
                    completeRead(r, rows.get(i));
                } else {
                    engine.complete(r, null, outcome(r, failure));
                }
            }
        } finally {
            completing = false;
        }
        if (!again.isEmpty()) {
            LOG.debug("{}: {} reads sent together failed ({}); running them one by one", name, n, failure.toString());
        }
        for (Request<?> r : again) {
            runClaimed(r, true);
        }
    }

    private <T> void completeRead(Request<T> r, List<Row> rows) {
        T value;
        try {
            value = r.pipelined.result().apply(rows);
        } catch (RuntimeException e) {
            engine.complete(r, null, e);
            return;
        }
        engine.complete(r, value, null);
    }

    /** Runs a request this worker has claimed, alone; {@code counted} when it counts as running already. */
    private <T> void runClaimed(Request<T> r, boolean counted) {
        if (!counted) {
            engine.callStarted();
        }
        current = r;
        T value = null;
        Throwable failure = null;
        try {
            ensureConnection(r);
            session.begin(r);
            engine.inCallback.set(session);
            Object previousOwner = Owners.enter(session);
            try {
                long started = System.nanoTime();
                value = r.work.apply(session);
                if (r.pipelined != null) {
                    engine.readTook(r.pipelined, System.nanoTime() - started);
                }
            } finally {
                Owners.exit(previousOwner);
                engine.inCallback.set(null); // kept, not removed: the next call sets it again
            }
            session.end(null);
        } catch (Throwable t) {
            failure = t;
            if (session != null) {
                session.end(t);
            }
        } finally {
            current = null;
            releaseIfDue();
            r.finish();
            engine.callEnded();
        }
        completing = true;
        try {
            if (failure == null) {
                engine.complete(r, value, null);
            } else {
                engine.complete(r, null, outcome(r, failure));
            }
        } finally {
            completing = false;
        }
    }

    private Throwable outcome(Request<?> r, Throwable t) {
        if (r.isCancelled()) {
            return new CancellationException(engine.name() + " " + r.operation + " was cancelled");
        }
        if (r.deadlineHit && !(t instanceof dev.vtdb.DeadlineExceededException)) {
            return engine.deadline(r, t);
        }
        if (t instanceof VtdbException || t instanceof IllegalArgumentException) {
            return t;
        }
        if (t instanceof SQLException e) {
            return Errors.translate(engine.driver(), engine.name(), r.operation, r.sql, e);
        }
        return t;
    }

    /** Gives the connection back after a run: evicted when broken, returned after {@link #MAX_HOLD}. */
    private void releaseIfDue() {
        if (session != null && session.isBroken()) {
            release(true);
        } else if (connection != null && System.nanoTime() - acquiredAt > MAX_HOLD.toNanos()) {
            release(false);
        }
    }

    private void ensureConnection(Request<?> r) {
        if (connection != null) {
            return;
        }
        connection = engine.acquire(r);
        acquiredAt = System.nanoTime();
        session = new JdbcSession(engine, connection);
    }

    private void release(boolean evict) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        JdbcSession s = session;
        connection = null;
        session = null;
        try {
            if (evict || (s != null && !s.leavePipelining())) {
                engine.dataSource.evictConnection(c);
            } else {
                c.close();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{}: closing connection failed", name, e);
        }
    }

    /**
     * Cancels the statement of a running request on the server, on its own thread. A cancel that
     * reaches the server before the statement started is ignored there, so it is repeated (every
     * 100 ms, until the grace ends) while the same request still runs.
     */
    void cancelStatement(Request<?> r) {
        JdbcSession s = session;
        if (!runs(r) || s == null) {
            return;
        }
        // a platform thread: drivers may resolve a host or run native code while cancelling
        // (Connector/J opens a second connection for KILL QUERY), which would pin a carrier
        Thread.ofPlatform().daemon().name(name + "-cancel").start(() -> {
            long end = System.nanoTime() + engine.config.cancelGrace().toNanos();
            while (runs(r) && System.nanoTime() < end) {
                s.cancelCurrentStatement();
                LockSupport.parkNanos(CANCEL_RETRY_NANOS);
            }
        });
    }

    /**
     * Ends a request still running after its cancel grace: closes the connection under it and
     * interrupts the thread, which may be blocked outside the driver (a COPY reading the caller's
     * stalled {@code InputStream}, a callback's own code). The connection is gone already, so an
     * interrupted socket read loses nothing more; the worker clears the interrupt before its next
     * request.
     */
    void abortConnection(Request<?> r) {
        JdbcSession s = session;
        if (runs(r) && s != null) {
            s.abort();
            if (runs(r)) {
                thread.interrupt();
            }
        }
    }

    /**
     * Ends what still runs after close's cancel grace: closes the connection under it and
     * interrupts the thread (the connection is gone already, so an interrupted socket read loses
     * nothing more).
     */
    void abortForClose() {
        if (current == null && group == null) {
            return;
        }
        JdbcSession s = session;
        if (s != null) {
            s.abort();
        }
        thread.interrupt();
    }

    void cancelForClose() {
        Request<?>[] g = group;
        if (g != null) {
            for (Request<?> r : g) {
                cancelForClose(r);
            }
            return;
        }
        Request<?> r = current;
        if (r != null) {
            cancelForClose(r);
        }
    }

    private void cancelForClose(Request<?> r) {
        r.completeExceptionally(new DatabaseClosedException(
                engine.name() + " was closed while this " + r.operation + " was running; its statement was cancelled"));
        r.interrupted = true;
        cancelStatement(r);
    }
}
