package dev.vtdb.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.vtdb.ConnectionFailedException;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.PoolExhaustedException;
import dev.vtdb.PoolStats;
import dev.vtdb.SessionCallback;
import dev.vtdb.VtdbException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared machinery behind a SQL {@link dev.vtdb.Database}: a bounded FIFO request queue
 * drained by N connection-affine workers (virtual threads, but for one platform thread that serves
 * a lone caller; see {@link Worker}), deadlines, cancellation, close.
 */
public final class Engine {
    static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** One platform daemon thread fires every deadline of every engine; its tasks never block. */
    static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vtdb-deadline-timer");
            t.setDaemon(true);
            return t;
        });
        TIMER.setRemoveOnCancelPolicy(true);
        // HikariCP builds a java.lang.reflect.Proxy in the static initializer of
        // ProxyConnection$ClosedConnection when the first connection is closed. Run it here, on the
        // thread starting the first engine: on a worker virtual thread, class initialization that
        // waits for a lock pins the carrier.
        // The same holds for the statement and result-set proxies every worker's first statement
        // loads, all workers at once.
        for (String name : new String[] {
            "com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection",
            "com.zaxxer.hikari.pool.HikariProxyStatement",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement",
            "com.zaxxer.hikari.pool.HikariProxyCallableStatement",
            "com.zaxxer.hikari.pool.HikariProxyResultSet"
        }) {
            try {
                Class.forName(name, true, HikariDataSource.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debug("could not pre-initialize HikariCP's {}", name, e);
            }
        }
    }

    private static final ReentrantLock LIVE_LOCK = new ReentrantLock();
    private static int liveEngines;
    private static ScheduledFuture<?> sentinel;

    /**
     * While an engine is open, a no-op task fires every second on the timer. Each call schedules
     * its deadline (30 s away by default) and cancels it when it ends; a newly scheduled task that
     * becomes the earliest one wakes the timer thread, which would then happen on every call. The
     * sentinel is always earlier than the calls' deadlines, so scheduling and cancelling them wakes
     * nobody.
     */
    private static void engineStarted(Engine engine) {
        EngineWatch.register(engine);
        LIVE_LOCK.lock();
        try {
            if (liveEngines++ == 0) {
                sentinel = TIMER.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
            }
        } finally {
            LIVE_LOCK.unlock();
        }
    }

    private static void engineClosed(Engine engine) {
        EngineWatch.unregister(engine);
        LIVE_LOCK.lock();
        try {
            if (--liveEngines == 0 && sentinel != null) {
                sentinel.cancel(false);
                sentinel = null;
            }
        } finally {
            LIVE_LOCK.unlock();
        }
    }

    /**
     * Settings of an engine, validated by {@link #start}.
     *
     * @param name pool name used in thread names and messages ({@code vtdb-pg})
     * @param hikari HikariCP settings (URL, credentials, driver properties); the pool size is
     *     set to {@code workers}
     * @param driver the module's driver support
     * @param workers worker threads, one connection each
     * @param queueBound the most calls that may wait
     * @param defaultTimeout each call's deadline unless shortened
     * @param closeTimeout how long close waits for calls before cancelling them
     * @param cancelGrace how long a cancelled statement may take to stop before its connection
     *     is aborted
     * @param callbackExecutor where futures complete, or {@code null} for the worker itself
     * @param fetchSize rows per round trip for cursors and streams
     * @param spinWait how long the latency worker, running the engine's only call, polls for the
     *     server's reply before blocking ({@link SpinWait}); zero never, at most {@link SpinWait#MAX}
     */
    public record Config(
            String name,
            HikariConfig hikari,
            DriverSupport driver,
            int workers,
            int queueBound,
            Duration defaultTimeout,
            Duration closeTimeout,
            Duration cancelGrace,
            Executor callbackExecutor,
            int fetchSize,
            Duration spinWait) {
        /** Validates. */
        public Config {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hikari, "hikari");
            Objects.requireNonNull(driver, "driver");
            positive("workers", workers);
            positive("queueBound", queueBound);
            positive("fetchSize", fetchSize);
            positive("defaultTimeout", defaultTimeout);
            positive("closeTimeout", closeTimeout);
            positive("cancelGrace", cancelGrace);
            SpinWait.check(spinWait);
        }
    }

    static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0 but was " + value);
        }
    }

    static void positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0 but was " + value);
        }
    }

    final Config config;
    final HikariDataSource dataSource;
    final LinkedBlockingQueue<Request<?>> queue;
    final SqlParser parser;
    final Jdbi jdbi;
    private final Worker[] workers;
    /** The first of {@link #workers}, a platform thread woken before any other (see Worker). */
    private final Worker latencyWorker;

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    final ThreadLocal<JdbcSession> inCallback = new ThreadLocal<>();
    final ThreadLocal<Worker> currentWorker = new ThreadLocal<>();
    /** Queued calls made with the default timeout, oldest first, for {@link #tick}. */
    private final ConcurrentLinkedQueue<Request<?>> watched = new ConcurrentLinkedQueue<>();

    /** Workers waiting for a call, the one that waited least first (see Worker.awaitWork). */
    final ConcurrentLinkedDeque<Worker> parked = new ConcurrentLinkedDeque<>();

    /**
     * Workers not running a call (a worker that has not started yet counts too: it is about to
     * take one): while any is, only reads known to be quick share a round trip.
     */
    final AtomicInteger idleWorkers;
    /** {@link Config#spinWait} in nanoseconds, zero on a single processor (nothing else could run). */
    final long spinNanos;
    /** Per pipelined statement, the recent execution time of one read (EWMA, nanoseconds). */
    private final ConcurrentHashMap<String, AtomicLong> readNanos = new ConcurrentHashMap<>();

    /**
     * A read below this time each shares a round trip even while workers are idle: reads share a
     * backend one after another, so a slow one would make the others wait for it.
     */
    static final long QUICK_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /**
     * Whether a read may share its round trip with the reads queued behind it: always when no
     * worker is idle (they would wait anyway), otherwise only when its statement has recently run
     * in under {@link #QUICK_READ_NANOS} per read; an idle worker runs a slow or unknown one in
     * parallel instead. Never for a statement {@link #NEVER_SHARED}, nor, where the driver {@linkplain
     * DriverSupport#pipelineVetsColumns() vets columns}, for one that has not yet run alone.
     */
    boolean mayShare(Pipelined<?> read) {
        AtomicLong t = readNanos.get(read.sql());
        if (t == null) {
            return idleWorkers.get() == 0 && !driver().pipelineVetsColumns();
        }
        long nanos = t.get();
        return nanos != NEVER_SHARED && (idleWorkers.get() == 0 || nanos < QUICK_READ_NANOS);
    }

    /** What {@link #readTook} records for a statement whose reads are never shared. */
    static final long NEVER_SHARED = Long.MAX_VALUE;

    /** Records how long one read of a pipelined statement took, or {@link #NEVER_SHARED} (which sticks). */
    void readTook(Pipelined<?> read, long nanos) {
        AtomicLong t = readNanos.get(read.sql());
        if (t == null) {
            if (readNanos.size() >= 4096) {
                readNanos.clear();
            }
            readNanos.putIfAbsent(read.sql(), new AtomicLong(nanos));
            return;
        }
        long old = t.get();
        if (old == NEVER_SHARED || nanos == NEVER_SHARED) {
            t.set(NEVER_SHARED);
            return;
        }
        t.set(old + (nanos - old) / 8); // racy by design: a lost update only delays the average
    }

    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idleCondition = idleLock.newCondition();
    private final AtomicInteger idleWaiters = new AtomicInteger();

    private Engine(Config config, HikariDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
        this.queue = new LinkedBlockingQueue<>(config.queueBound());
        this.parser = new SqlParser(config.driver().sqlFlavor());
        this.jdbi = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                JdbcSession s = inCallback.get();
                if (s == null) {
                    throw new IllegalStateException("Jdbi handles are only available inside a vtdb callback");
                }
                return s.connection();
            }

            @Override
            public void closeConnection(Connection connection) {
                // the worker's connection: it outlives the handle (the default would return it to
                // HikariCP under the worker's feet)
            }
        });
        this.jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        this.workers = new Worker[config.workers()];
        this.idleWorkers = new AtomicInteger(workers.length);
        this.spinNanos = Runtime.getRuntime().availableProcessors() > 1
                ? config.spinWait().toNanos()
                : 0;
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, i + 1, i == 0);
        }
        this.latencyWorker = workers[0];
    }

    int workerCount() {
        return workers.length;
    }

    /**
     * Creates the HikariCP pool and starts the workers. Connections are made lazily, so a server
     * that is down is reported by the first call, not here.
     *
     * @param config the settings
     * @return the running engine
     */
    public static Engine start(Config config) {
        HikariConfig h = config.hikari();
        h.setPoolName(config.name());
        h.setMaximumPoolSize(config.workers());
        h.setMinimumIdle(Math.min(h.getMinimumIdle() < 0 ? config.workers() : h.getMinimumIdle(), config.workers()));
        h.setInitializationFailTimeout(-1);
        if (h.getLeakDetectionThreshold() == 0) {
            h.setLeakDetectionThreshold(Worker.MAX_HOLD.plusSeconds(60).toMillis());
        }
        HikariDataSource ds = new HikariDataSource(h);
        Engine engine = new Engine(config, ds);
        engineStarted(engine);
        for (Worker w : engine.workers) {
            w.start();
        }
        return engine;
    }

    /**
     * Returns the engines not closed yet, for leak checks in tests.
     *
     * @return a snapshot
     */
    public static List<Engine> open() {
        return EngineWatch.engines();
    }

    /**
     * Returns the pool name.
     *
     * @return the name
     */
    public String name() {
        return config.name();
    }

    /**
     * Returns the module's driver support.
     *
     * @return the driver support
     */
    public DriverSupport driver() {
        return config.driver();
    }

    /**
     * Returns the HikariCP data source (for dedicated connections such as LISTEN).
     *
     * @return the data source
     */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /**
     * Queues work, or runs it at once on the caller's connection when called from inside a
     * callback of this engine.
     *
     * @param operation name for messages
     * @param sql the statement for messages, or {@code null}
     * @param timeout the call's allowance
     * @param work the work; a {@link Pipelined} read may share a round trip with other queued reads
     * @param <T> result type
     * @return the call's future
     */
    public <T> CompletableFuture<T> submit(String operation, String sql, Duration timeout, SessionCallback<T> work) {
        JdbcSession own = inCallback.get();
        if (own != null) {
            return own.runNested(work);
        }
        CallContext ctx = CallContext.current();
        if (ctx != null && ctx.forbiddenOwner() instanceof JdbcSession s && s.engine == this) {
            return CompletableFuture.failedFuture(new VtdbException(name() + " " + operation
                    + " was called from a Scope fork inside a withConnection/inTransaction callback: the callback's"
                    + " connection cannot be used concurrently; make the call on the callback's own thread"));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(
                    new DatabaseClosedException(name() + " is closed; " + operation + " refused"));
        }
        long now = System.nanoTime();
        long deadline = now + timeout.toNanos();
        // calls with the default timeout have their deadlines in the order they are made: the
        // watch looks at the oldest; any other deadline gets its own timer task
        boolean watch = timeout.equals(config.defaultTimeout());
        if (ctx != null && ctx.deadlineNanos() < deadline) {
            deadline = ctx.deadlineNanos();
            watch = false;
        }
        Request<T> r = new Request<>(this, operation, sql, work, now, deadline, timeout);
        if (deadline - now <= 0) {
            r.state.set(Request.DONE);
            r.completeExceptionally(
                    r.deadlineException("before it was queued (the enclosing scope's deadline passed)", null));
            return r;
        }
        if (!watch) {
            r.timer = TIMER.schedule(r::onDeadline, deadline - now, TimeUnit.NANOSECONDS);
        }
        Worker self = currentWorker.get();
        if (self != null && queue.isEmpty() && self.handOff(r)) {
            watched(r, watch);
        } else if (enqueue(r)) {
            watched(r, watch);
        } else {
            r.state.set(Request.DONE);
            r.cancelTimer();
            PoolStats stats = stats();
            return CompletableFuture.failedFuture(new PoolExhaustedException(
                    name() + " request queue is full; " + operation + " refused (" + stats + ")", stats));
        }
        if (ctx != null && ctx.scope() != null) {
            ctx.scope().track(r);
        }
        return r;
    }

    private void watched(Request<?> r, boolean watch) {
        if (watch) {
            r.watched = true;
            watched.offer(r);
        }
        EngineWatch.wake();
    }

    /**
     * One tick of the {@link EngineWatch}: fails watched calls whose deadline passed, running
     * (checked on each worker) or queued (the oldest first, up to the first one not due yet), and
     * moves stale hand-offs to the queue.
     *
     * @return whether the engine has calls outstanding
     */
    boolean tick(long now) {
        boolean busy = running.get() > 0;
        for (Worker w : workers) {
            busy |= w.tick(now);
        }
        Request<?> r;
        while ((r = watched.peek()) != null) {
            if (r.state.get() == Request.QUEUED) {
                if (r.deadlineNanos - now > 0) {
                    return true;
                }
                r.onDeadline();
            }
            // running calls are watched on their worker, finished ones are done with
            watched.poll();
        }
        return busy || !queue.isEmpty();
    }

    /**
     * Queues a call and wakes the latency worker if it is idle, else the worker parked last, if any
     * (a running worker takes it after its current call otherwise).
     *
     * @return false when the queue is full
     */
    boolean enqueue(Request<?> r) {
        if (!queue.offer(r)) {
            return false;
        }
        if (latencyWorker.wake()) {
            return true; // the latency worker (see Worker) was idle
        }
        for (Worker w = parked.pollFirst(); w != null; w = parked.pollFirst()) {
            if (w.wake()) {
                break;
            }
        }
        return true;
    }

    /** Moves a call kept by a worker that did not take it in time to the shared queue. */
    void requeue(Request<?> r) {
        if (!enqueue(r) && r.state.compareAndSet(Request.QUEUED, Request.DONE)) {
            r.cancelTimer();
            PoolStats stats = stats();
            r.completeExceptionally(new PoolExhaustedException(
                    name() + " request queue is full; " + r.operation + " refused (" + stats + ")", stats));
        }
    }

    private int handoffs() {
        int n = 0;
        for (Worker w : workers) {
            n += w.kept();
        }
        return n;
    }

    /** How long after its deadline a running call may take to stop before its caller is told. */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    void scheduleGrace(Request<?> r, boolean deadline) {
        if (deadline) {
            TIMER.schedule(r::onDeadlineLate, LATE_NANOS, TimeUnit.NANOSECONDS);
        }
        TIMER.schedule(r::onGraceExpired, config.cancelGrace().toNanos(), TimeUnit.NANOSECONDS);
    }

    <T> void complete(Request<T> r, T value, Throwable failure) {
        Executor executor = config.callbackExecutor();
        if (executor == null) {
            if (failure == null) {
                r.complete(value);
            } else {
                r.completeExceptionally(failure);
            }
        } else {
            executor.execute(() -> {
                if (failure == null) {
                    r.complete(value);
                } else {
                    r.completeExceptionally(failure);
                }
            });
        }
    }

    void callStarted() {
        running.incrementAndGet();
    }

    void callsStarted(int n) {
        running.addAndGet(n);
    }

    void callEnded() {
        if (running.decrementAndGet() == 0 && idleWaiters.get() > 0) {
            idleLock.lock();
            try {
                idleCondition.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    /**
     * Returns the counters.
     *
     * @return the stats
     */
    public PoolStats stats() {
        HikariPoolMXBean mx = dataSource.getHikariPoolMXBean();
        int held = mx == null ? 0 : mx.getActiveConnections();
        int idle = mx == null ? 0 : mx.getIdleConnections();
        int awaiting = mx == null ? 0 : mx.getThreadsAwaitingConnection();
        return new PoolStats(
                running.get(), queue.size() + handoffs(), workers.length, config.queueBound(), held, idle, awaiting);
    }

    /** How long one wait for a pooled connection lasts before the pool's last failure is looked at. */
    private static final long ACQUIRE_SLICE_MILLIS = 250;

    /**
     * Takes a connection from HikariCP for a request, waiting at most the connect timeout and never
     * past the request's deadline. The wait is cut in slices: between them the pool's last failure
     * to connect is looked at, and a refusal retrying cannot cure ({@link
     * DriverSupport#isPermanentConnectFailure}) fails the call at once.
     *
     * @param r the request that needs the connection
     * @return the connection
     * @throws ConnectionFailedException when none could be had
     * @throws DeadlineExceededException when the request's deadline passed first
     */
    Connection acquire(Request<?> r) {
        HikariPool pool = (HikariPool) dataSource.getHikariPoolMXBean();
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(dataSource.getConnectionTimeout());
        if (r.deadlineNanos - end < 0) {
            end = r.deadlineNanos;
        }
        r.acquiring = true;
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                try {
                    return pool.getConnection(Math.max(1, Math.min(ACQUIRE_SLICE_MILLIS, left)));
                } catch (SQLException e) {
                    Throwable failure = e.getCause() != null ? e.getCause() : e;
                    if (!(e instanceof java.sql.SQLTransientConnectionException)) {
                        failure = e;
                    }
                    if (failure != e || r.connectFailure == null) {
                        r.connectFailure = failure;
                    }
                    if (driver().isPermanentConnectFailure(failure) || dataSource.isClosed()) {
                        throw connectFailed(r, failure);
                    }
                    if (r.deadlineHit || r.deadlineNanos - System.nanoTime() <= 0) {
                        throw r.acquireDeadlineException();
                    }
                    if (r.interrupted) {
                        throw new java.util.concurrent.CancellationException(
                                name() + " " + r.operation + " was cancelled");
                    }
                    if (end - System.nanoTime() <= 0) {
                        throw connectFailed(r, r.connectFailure);
                    }
                }
            }
        } finally {
            r.acquiring = false;
        }
    }

    private ConnectionFailedException connectFailed(Request<?> r, Throwable failure) {
        SQLException sql = Errors.firstSqlException(failure);
        return new ConnectionFailedException(
                name() + " " + r.operation + " could not get a connection to " + driver().describeServer()
                        + (failure == null ? "" : ": " + Errors.describeConnectFailure(failure))
                        + " (" + countersText() + ")",
                sql == null ? null : sql.getSQLState(),
                sql == null ? 0 : sql.getErrorCode(),
                failure);
    }

    String countersText() {
        return "active=" + running.get() + ", waiting=" + (queue.size() + handoffs()) + ", workers=" + workers.length
                + ", bound=" + config.queueBound();
    }

    /**
     * Waits until nothing is queued or running.
     *
     * @param timeout the bound
     * @return whether the engine became idle in time
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        idleWaiters.incrementAndGet();
        idleLock.lock();
        try {
            while (running.get() > 0 || queueHasLiveRequests()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // queued requests do not signal; poll the condition at a short bound
                idleCondition.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            idleLock.unlock();
            idleWaiters.decrementAndGet();
        }
    }

    private boolean queueHasLiveRequests() {
        if (handoffs() > 0) {
            return true;
        }
        // calls failed by their deadline or cancelled while queued stay in the queue until a worker
        // takes them; drop them here so that the waiting counter agrees with what is idle
        queue.removeIf(r -> r.state.get() == Request.DONE);
        for (Request<?> r : queue) {
            if (r.state.get() == Request.QUEUED) {
                return true;
            }
        }
        return false;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Starts closing: refuses new calls, lets running ones finish up to the close timeout, then
     * cancels the rest, stops the workers and closes the pool.
     *
     * @return completes when closed
     */
    public CompletableFuture<Void> closeAsync() {
        if (closed.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name() + "-closer").start(this::doClose);
        }
        return closeFuture;
    }

    /**
     * Returns the future completed when closing has finished.
     *
     * @return the close future
     */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /**
     * Tells whether the calling thread runs a callback of this engine.
     *
     * @return {@code true} inside a callback
     */
    public boolean inCallback() {
        return inCallback.get() != null;
    }

    private void doClose() {
        try {
            if (!awaitIdle(config.closeTimeout())) {
                List<Request<?>> left = new ArrayList<>();
                queue.drainTo(left);
                for (Request<?> r : left) {
                    if (r.state.compareAndSet(Request.QUEUED, Request.DONE)) {
                        r.cancelTimer();
                        r.completeExceptionally(new DatabaseClosedException(
                                name() + " was closed before this " + r.operation + " ran"));
                    }
                }
                for (Worker w : workers) {
                    w.cancelForClose();
                }
                if (!awaitIdle(config.cancelGrace())) {
                    // what still runs after the grace is not a statement the cancel could stop (a
                    // callback's own code, a COPY reading the caller's stream): its connection is
                    // closed (the server rolls back what it held) and its thread interrupted, so
                    // close() ends within closeTimeout + 2 x cancelGrace
                    for (Worker w : workers) {
                        w.abortForClose();
                    }
                    awaitIdle(config.cancelGrace());
                }
            }
            for (Worker w : workers) {
                w.stop();
            }
            for (Worker w : workers) {
                w.join(config.cancelGrace());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: error while closing", name(), e);
        } finally {
            dataSource.close();
            engineClosed(this);
            closeFuture.complete(null);
        }
    }

    DeadlineExceededException deadline(Request<?> r, Throwable cause) {
        return r.deadlineException("while running; the statement was cancelled on the server", cause);
    }
}
