package dev.vtdb.redis.internal;

import dev.vtdb.DatabaseClosedException;
import dev.vtdb.PoolExhaustedException;
import dev.vtdb.PoolStats;
import dev.vtdb.redis.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Runs Redis commands: a bounded request queue drained by a few worker virtual threads, each
 * writing every queued command (up to {@code maxBatch}) as one pipeline on the connection it owns
 * (automatic pipelining), plus dedicated calls on their own pooled connection. A timer fails
 * calls whose deadline passed; a late reply is still read and discarded, keeping the connection.
 */
public abstract class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final AtomicInteger ENGINE_IDS = new AtomicInteger();
    private static final Call POISON = new Call(new Op<?>[0], new CompletableFuture<>(), null, "stop", Duration.ZERO);
    private static final long TICK_MILLIS = 5;
    /** Engines started and not yet closed, for the tests' after-each idle check. */
    private static final Set<Engine> OPEN = ConcurrentHashMap.newKeySet();

    private final RedisOptions options;
    private final String name;
    private final LinkedBlockingQueue<Call> queue;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger dedicatedCalls = new AtomicInteger();
    private final AtomicInteger dedicatedWaiting = new AtomicInteger();
    private final AtomicInteger threadIds = new AtomicInteger();
    private final Set<Call> dedicatedInFlight = ConcurrentHashMap.newKeySet();
    private final Set<AutoCloseable> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int id = ENGINE_IDS.incrementAndGet();
    private Worker[] workers;
    private ScheduledExecutorService timer;

    /**
     * Creates the engine; {@link #startWorkers()} starts it.
     *
     * @param options the options
     * @param name name for messages, such as {@code redis 127.0.0.1:6379}
     */
    protected Engine(RedisOptions options, String name) {
        Preload.run();
        this.options = options;
        this.name = name;
        this.queue = new LinkedBlockingQueue<>(options.queueBound());
    }

    /**
     * Initialises, on the connecting thread, the classes that workers and dedicated calls would
     * otherwise initialise concurrently on virtual threads: a virtual thread waiting for another
     * thread's class initialisation is pinned to its carrier.
     */
    private static final class Preload {
        private static final String[] CLASSES = {
            "redis.clients.jedis.Jedis",
            "redis.clients.jedis.Pipeline",
            "redis.clients.jedis.RedisProtocol",
            "redis.clients.jedis.Response",
            "redis.clients.jedis.BuilderFactory",
            "redis.clients.jedis.CommandObjects",
            "redis.clients.jedis.Protocol",
            "redis.clients.jedis.Protocol$Command",
            "redis.clients.jedis.Protocol$Keyword",
            "redis.clients.jedis.JedisPubSub",
            "redis.clients.jedis.params.ScanParams",
            "redis.clients.jedis.params.SetParams",
            "redis.clients.jedis.params.GetExParams",
            "redis.clients.jedis.resps.ScanResult",
            "redis.clients.jedis.resps.Tuple",
            "redis.clients.jedis.util.KeyValue",
            "redis.clients.jedis.util.SafeEncoder",
            "redis.clients.jedis.exceptions.JedisDataException",
            "redis.clients.jedis.exceptions.JedisConnectionException",
            "dev.vtdb.redis.internal.RedisErrors",
            "dev.vtdb.redis.internal.StrictUtf8",
            "dev.vtdb.redis.internal.StrictUtf8$Malformed",
            "dev.vtdb.internal.InvalidText",
            "dev.vtdb.redis.internal.PipelineRecorder",
            "dev.vtdb.redis.internal.MultiExec",
            "dev.vtdb.redis.internal.PubSubSubscription",
            "dev.vtdb.redis.RedisCommandException",
            "dev.vtdb.redis.PipelineResult",
            "dev.vtdb.DeadlineExceededException",
            "dev.vtdb.ConnectionLostException",
            "dev.vtdb.CommitOutcomeUnknownException",
            "dev.vtdb.PoolExhaustedException",
            "dev.vtdb.DatabaseClosedException",
        };
        private static volatile boolean done;

        static void run() {
            if (done) {
                return;
            }
            ClassLoader loader = Engine.class.getClassLoader();
            for (String name : CLASSES) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    LOG.debug("cannot preload {}", name, e);
                }
            }
            done = true;
        }
    }

    /** A worker's connection (or cluster pipeline) for batches. */
    protected interface Lane {
        /**
         * Returns a pipeline to append the next batch to, connecting when needed.
         *
         * @return the pipeline
         */
        PipeliningBase begin();

        /** Writes the batch and reads every reply. */
        void sync();

        /**
         * Ends the batch.
         *
         * @param failed {@code true} when the connection may hold unread replies: discard it
         */
        void end(boolean failed);

        /** Releases the connection for good. */
        void close();
    }

    /**
     * Work run on a dedicated connection.
     *
     * @param <T> result type
     */
    @FunctionalInterface
    public interface DedicatedWork<T> {
        /**
         * Runs the work.
         *
         * @param jedis a Jedis over the dedicated connection
         * @param call the call, for its deadline
         * @return the result
         * @throws Exception any failure, translated by the engine
         */
        T run(Jedis jedis, DedicatedCall call) throws Exception;
    }

    /** What dedicated work knows about its call. */
    public static final class DedicatedCall {
        private final Call call;
        private final Engine engine;

        DedicatedCall(Call call, Engine engine) {
            this.call = call;
            this.engine = engine;
        }

        /**
         * Returns the absolute deadline.
         *
         * @return a {@link System#nanoTime()} value
         */
        public long deadlineNanos() {
            return call.deadlineNanos;
        }

        /**
         * Tells whether the caller stopped waiting (deadline or cancellation).
         *
         * @return {@code true} when the future is already complete
         */
        public boolean abandoned() {
            return call.isDone();
        }

        /**
         * Returns the deadline failure to throw.
         *
         * @param stage what the call was doing
         * @return the exception
         */
        public RuntimeException deadlineError(String stage) {
            return call.deadlineError(engine, stage);
        }

        /**
         * Returns the time since the call was made.
         *
         * @return the elapsed time
         */
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - call.startNanos);
        }

        /**
         * Returns the time the call was given (its deadline minus its start).
         *
         * @return the allowance
         */
        public Duration allowance() {
            return call.allowance;
        }

        /**
         * Claims the right to write a commit ({@code EXEC}), atomically with the deadline timer:
         * once claimed, a deadline passing before the commit's reply fails the call with {@code
         * outcomeUnknown} (the commit may have been applied), never with a plain deadline error.
         *
         * @param outcomeUnknown the error for a deadline passing while the reply is awaited
         * @return {@code false} when the caller already gave up (deadline or cancellation): the
         *     commit must not be written
         */
        public boolean beginCommit(java.util.function.Supplier<RuntimeException> outcomeUnknown) {
            return call.beginCommit(outcomeUnknown);
        }

        /**
         * Ends a commit whose reply was read (applied, aborted, or nothing run because a watched key
         * changed): a later deadline is a plain deadline again.
         */
        public void endCommit() {
            call.endCommit();
        }
    }

    /**
     * Opens a lane for one worker (it connects lazily).
     *
     * @return the lane
     */
    protected abstract Lane newLane();

    /**
     * Borrows a dedicated connection.
     *
     * @param slotKey a key deciding the cluster node, or {@code null} for any node
     * @return a pooled connection; closing it gives it back
     */
    protected abstract Connection borrow(String slotKey);

    /**
     * Borrows a dedicated connection to one node.
     *
     * @param node the node's {@code host:port}
     * @return a pooled connection
     */
    protected Connection borrowNode(String node) {
        return borrow(null);
    }

    /**
     * Returns the pooled connections held, idle and awaited.
     *
     * @return three counters
     */
    protected abstract int[] poolCounters();

    /** Closes the pool(s). */
    protected abstract void closeResources();

    /**
     * Tells whether this engine runs against a cluster.
     *
     * @return {@code true} for Redis Cluster
     */
    public abstract boolean isCluster();

    /**
     * Returns the server address(es) for messages.
     *
     * @return {@code host:port}, or the seed list
     */
    public abstract String address();

    /**
     * Refuses a command whose keys cannot be sent together (cluster slots).
     *
     * @param op the command
     * @return an error, or {@code null} when the command is fine
     */
    protected RuntimeException checkKeys(Op<?> op) {
        return null;
    }

    /** Starts the workers and the deadline timer. */
    protected final void startWorkers() {
        workers = new Worker[options.workers()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(newLane(), options.maxBatch());
            workers[i].thread =
                    Thread.ofVirtual().name("vtdb-redis-worker-" + (i + 1)).unstarted(workers[i]::run);
        }
        for (Worker w : workers) {
            w.thread.start();
        }
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("vtdb-redis-deadlines-" + id).factory());
        timer.scheduleAtFixedRate(this::expireOverdue, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        OPEN.add(this);
    }

    /**
     * Returns the engines started in this JVM and not yet closed.
     *
     * @return a snapshot
     */
    static List<Engine> open() {
        return List.copyOf(OPEN);
    }

    /**
     * Returns the options.
     *
     * @return the options
     */
    public RedisOptions options() {
        return options;
    }

    /**
     * Returns the name used in messages.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the counters.
     *
     * @return the counters
     */
    public PoolStats stats() {
        int[] pool = poolCounters();
        return new PoolStats(
                running.get(),
                queue.size() + dedicatedWaiting.get(),
                options.workers(),
                options.queueBound(),
                pool[0],
                pool[1],
                pool[2]);
    }

    /**
     * Tells whether {@link #close()} began.
     *
     * @return {@code true} once closing
     */
    public boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ pipelined calls

    /**
     * Queues one command for a worker.
     *
     * @param op the command
     * @param timeout the call's allowance
     * @param <T> result type
     * @return the command's future
     */
    public <T> CompletableFuture<T> submit(Op<T> op, Duration timeout) {
        RuntimeException refused = checkKeys(op);
        if (refused != null) {
            op.fail(refused);
            return op.future;
        }
        enqueue(Call.single(op, timeout));
        return op.future;
    }

    /**
     * Queues several commands to be written together, in order, by one worker.
     *
     * @param ops the commands
     * @param handle the future completed by {@code after}
     * @param after completes {@code handle} once every command completed
     * @param timeout the call's allowance
     */
    void submitBatch(List<Op<?>> ops, CompletableFuture<?> handle, Runnable after, Duration timeout) {
        Call call = new Call(ops.toArray(new Op<?>[0]), handle, after, null, timeout);
        for (Op<?> op : ops) {
            RuntimeException refused = checkKeys(op);
            if (refused != null) {
                op.fail(refused);
            }
        }
        enqueue(call);
    }

    private void enqueue(Call call) {
        if (closed.get()) {
            call.fail(new DatabaseClosedException(name + " is closed; " + call.describe() + " refused"));
            return;
        }
        // made just now (both callers): its start time is the clock's reading, and one less
        // System.nanoTime() per command counts (40-47 ns each on this project's virtual machine)
        if (call.expired(call.startNanos)) {
            call.expire(this, "queued");
            return;
        }
        if (!queue.offer(call)) {
            PoolStats stats = stats();
            call.fail(new PoolExhaustedException(
                    name + " request queue is full; " + call.describe() + " refused (" + stats + ")", stats));
            return;
        }
        track(call);
    }

    private void track(Call call) {
        if (call.context != null && call.context.scope() != null) {
            call.context.scope().track(call.handle);
        }
    }

    private final class Worker {
        private final Lane lane;
        private final Call[] batch;
        private final ArrayList<Call> drained;
        private volatile int size;
        Thread thread;

        Worker(Lane lane, int maxBatch) {
            this.lane = lane;
            this.batch = new Call[maxBatch];
            this.drained = new ArrayList<>(maxBatch);
        }

        void run() {
            boolean stop = false;
            try {
                while (!stop) {
                    Call first;
                    try {
                        first = queue.take();
                    } catch (InterruptedException e) {
                        if (closed.get()) {
                            break;
                        }
                        continue;
                    }
                    drained.add(first);
                    queue.drainTo(drained, batch.length - 1);
                    int poisons = 0;
                    int n = 0;
                    long now = System.nanoTime();
                    for (Call c : drained) {
                        if (c == POISON) {
                            poisons++;
                        } else if (c.isDone()) {
                            // cancelled or expired while queued: never sent
                        } else if (c.expired(now)) {
                            c.expire(Engine.this, "queued");
                        } else if (c.claim()) {
                            batch[n++] = c; // from here on cancel() returns false: it is being sent
                        }
                    }
                    drained.clear();
                    if (n > 0) {
                        execute(n);
                    }
                    if (poisons > 0) {
                        for (int i = 1; i < poisons; i++) {
                            queue.offer(POISON); // wake the other workers
                        }
                        stop = true;
                    }
                }
            } finally {
                lane.close();
            }
        }

        private void execute(int n) {
            running.addAndGet(n);
            size = n;
            RuntimeException error = write(n);
            if (error != null && !closed.get() && isConnectionError(error) && noReplyRead(n)) {
                // the connection died before any reply of this batch came back (it was killed while
                // idle, or the server restarted): write the batch once more on a new connection,
                // as redis-py's default Retry does for a ConnectionError. At least once: a command
                // the server ran but whose reply was lost with the connection runs again.
                LOG.debug(
                        "{}: a worker connection failed before any reply of its batch; writing it again", name, error);
                error = write(n);
            }
            size = 0;
            running.addAndGet(-n);
            for (int i = 0; i < n; i++) {
                Call c = batch[i];
                batch[i] = null;
                if (error != null) {
                    if (!c.isDone()) {
                        c.fail(RedisErrors.translate(
                                Engine.this, c.ops.length == 1 ? c.ops[0].name : "pipeline", key(c), error));
                    }
                } else {
                    c.completeReplies(Engine.this);
                }
            }
        }

        /** Appends every call of the batch not yet completed and reads the replies. */
        private RuntimeException write(int n) {
            boolean failed = false;
            RuntimeException error = null;
            try {
                PipeliningBase p = lane.begin();
                for (int i = 0; i < n; i++) {
                    for (Op<?> op : batch[i].ops) {
                        if (!op.future.claim()) {
                            continue; // refused before sending (cluster slots), cancelled in a pipeline, expired
                        }
                        try {
                            op.append(p);
                        } catch (JedisConnectionException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            op.fail(RedisErrors.translate(Engine.this, op.name, op.key, e));
                        }
                    }
                }
                lane.sync();
            } catch (RuntimeException e) {
                failed = true;
                error = e;
            } finally {
                try {
                    lane.end(failed);
                } catch (RuntimeException e) {
                    LOG.debug("{}: releasing a worker connection failed", name, e);
                }
            }
            return error;
        }

        private boolean noReplyRead(int n) {
            for (int i = 0; i < n; i++) {
                for (Op<?> op : batch[i].ops) {
                    if (op.replyRead()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Tells whether the batch failed because its connection was gone (reset, closed, refused),
         * not because a reply was slow: a read that timed out means the server got the commands.
         */
        private static boolean isConnectionError(Throwable e) {
            boolean connection = e instanceof JedisConnectionException
                    || e instanceof redis.clients.jedis.exceptions.JedisException
                            && e.getCause() instanceof JedisConnectionException;
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof java.net.SocketTimeoutException) {
                    return false;
                }
            }
            return connection;
        }

        private static String key(Call c) {
            return c.ops.length == 1 ? c.ops[0].key : null;
        }

        void expireOverdue(long now) {
            int n = size;
            for (int i = 0; i < n; i++) {
                Call c = batch[i];
                if (c != null && !c.isDone() && c.expired(now)) {
                    c.expire(Engine.this, "running");
                }
            }
        }
    }

    private void expireOverdue() {
        try {
            long now = System.nanoTime();
            for (Worker w : workers) {
                w.expireOverdue(now);
            }
            Call head = queue.peek();
            if (head != null && head.expired(now)) {
                for (Call c : queue) {
                    if (c != POISON && !c.isDone() && c.expired(now)) {
                        c.expire(this, "queued");
                    }
                }
            }
            for (Call c : dedicatedInFlight) {
                if (!c.isDone() && now - c.watchNanos >= 0) {
                    c.expire(this, "running");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: deadline timer failed", name, e);
        }
    }

    // ------------------------------------------------------------------ dedicated calls

    /**
     * Runs work on a dedicated pooled connection, on its own virtual thread.
     *
     * @param command command name for messages
     * @param key first key, or {@code null}
     * @param slotKey key choosing the cluster node, or {@code null}
     * @param timeout the call's allowance
     * @param grace extra time the timer waits for work that bounds itself (blocking pops)
     * @param work the work
     * @param <T> result type
     * @return the call's future
     */
    public <T> CompletableFuture<T> dedicated(
            String command, String key, String slotKey, Duration timeout, Duration grace, DedicatedWork<T> work) {
        return dedicatedOn(command, key, slotKey, null, timeout, grace, work);
    }

    /**
     * Runs work on a dedicated connection to one cluster node (any node for a single server).
     *
     * @param command command name for messages
     * @param key first key, or {@code null}
     * @param slotKey key choosing the cluster node, or {@code null}
     * @param node {@code host:port} of the node, or {@code null} to use {@code slotKey}
     * @param timeout the call's allowance
     * @param work the work
     * @param <T> result type
     * @return the call's future
     */
    <T> CompletableFuture<T> dedicatedOn(
            String command, String key, String slotKey, String node, Duration timeout, DedicatedWork<T> work) {
        return dedicatedOn(command, key, slotKey, node, timeout, Duration.ZERO, work);
    }

    private <T> CompletableFuture<T> dedicatedOn(
            String command,
            String key,
            String slotKey,
            String node,
            Duration timeout,
            Duration grace,
            DedicatedWork<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Call call = new Call(new Op<?>[0], future, null, RedisErrors.describe(command, key), timeout);
        call.watchNanos = call.deadlineNanos + grace.toNanos();
        call.blocking = grace.isPositive();
        if (closed.get()) {
            call.fail(new DatabaseClosedException(name + " is closed; " + call.describe() + " refused"));
            return future;
        }
        if (dedicatedCalls.incrementAndGet() > options.queueBound()) {
            dedicatedCalls.decrementAndGet();
            PoolStats stats = stats();
            call.fail(new PoolExhaustedException(
                    name + " has too many dedicated calls; " + call.describe() + " refused (" + stats + ")", stats));
            return future;
        }
        track(call);
        dedicatedWaiting.incrementAndGet();
        dedicatedInFlight.add(call);
        call.thread = Thread.ofVirtual()
                .name("vtdb-redis-call-" + threadIds.incrementAndGet())
                .start(() -> runDedicated(call, command, key, slotKey, node, future, work));
        return future;
    }

    private <T> void runDedicated(
            Call call,
            String command,
            String key,
            String slotKey,
            String node,
            CompletableFuture<T> future,
            DedicatedWork<T> work) {
        boolean waiting = true;
        boolean isRunning = false;
        T result = null;
        Throwable error = null;
        try {
            if (future.isDone()) {
                return;
            }
            try (Connection connection = node != null ? borrowNode(node) : borrow(slotKey)) {
                dedicatedWaiting.decrementAndGet();
                waiting = false;
                if (future.isDone()) {
                    return;
                }
                running.incrementAndGet();
                isRunning = true;
                call.connection = connection;
                try {
                    result = work.run(new Jedis(connection), new DedicatedCall(call, this));
                } finally {
                    call.connection = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = e;
        } catch (Throwable t) {
            error = t;
        } finally {
            if (waiting) {
                dedicatedWaiting.decrementAndGet();
            }
            if (isRunning) {
                running.decrementAndGet();
            }
            dedicatedInFlight.remove(call);
            dedicatedCalls.decrementAndGet();
        }
        if (error != null) {
            future.completeExceptionally(RedisErrors.translate(this, command, key, error));
        } else {
            future.complete(result);
        }
    }

    /**
     * Borrows a connection for a long-lived use (a subscription), outside the call counters.
     *
     * @param slotKey key choosing the cluster node, or {@code null}
     * @return a pooled connection
     */
    Connection borrowForSubscription(String slotKey) {
        return borrow(slotKey);
    }

    /**
     * Registers a subscription so that {@link #close()} closes it.
     *
     * @param subscription the subscription
     */
    void register(AutoCloseable subscription) {
        subscriptions.add(subscription);
    }

    /**
     * Forgets a closed subscription.
     *
     * @param subscription the subscription
     */
    void unregister(AutoCloseable subscription) {
        subscriptions.remove(subscription);
    }

    /**
     * Starts a named virtual thread for this engine.
     *
     * @param prefix name prefix such as {@code vtdb-redis-sub}
     * @param task what to run
     * @return the started thread
     */
    Thread startThread(String prefix, Runnable task) {
        return Thread.ofVirtual()
                .name(prefix + "-" + threadIds.incrementAndGet())
                .start(task);
    }

    // ------------------------------------------------------------------ close

    /**
     * Lets running dedicated calls (transactions, scans) finish until {@link RedisOptions#timeout()}
     * after {@code close} began, then fails what is left, and blocking pops at once, with {@link
     * DatabaseClosedException} and closes their sockets, so that no connection outlives the client.
     */
    private void stopDedicated(long closeStart) {
        long until = closeStart + options.timeout().toNanos();
        boolean interrupted = false;
        List<Call> all = List.copyOf(dedicatedInFlight);
        for (Call c : all) {
            if (c.blocking || c.isDone()) {
                stopClosing(c); // waiting for data, or its caller already left: nothing to finish
            }
        }
        for (Call c : all) {
            Thread t = c.thread;
            long left = until - System.nanoTime();
            if (t == null || left <= 0) {
                continue;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<Call> left = List.copyOf(dedicatedInFlight);
        for (Call c : left) {
            stopClosing(c);
        }
        for (Call c : left) {
            Thread t = c.thread;
            try {
                if (t != null && !t.join(Duration.ofSeconds(1))) {
                    LOG.warn("{}: {} did not stop within 1s of its socket being closed", name, t.getName());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopClosing(Call c) {
        c.failClosed(() -> new DatabaseClosedException(name + " was closed while " + c.describe() + " ran"));
        redis.clients.jedis.Connection connection = c.connection;
        if (connection != null) {
            try {
                connection.disconnect(); // its thread's blocking read fails at once
            } catch (RuntimeException e) {
                LOG.debug("{}: closing a dedicated connection failed", name, e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long closeStart = System.nanoTime();
        for (AutoCloseable s : List.copyOf(subscriptions)) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("{}: closing a subscription failed", name, e);
            }
        }
        if (workers != null) {
            boolean interrupted = false;
            for (int i = 0; i < workers.length; i++) {
                try {
                    if (!queue.offer(POISON, options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        workers[i].thread.interrupt();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            long waitMillis = options.timeout().plus(Duration.ofSeconds(1)).toMillis();
            for (Worker w : workers) {
                try {
                    if (!w.thread.join(Duration.ofMillis(waitMillis))) {
                        LOG.warn("{}: worker {} did not stop within {}ms", name, w.thread.getName(), waitMillis);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        stopDedicated(closeStart);
        Call c;
        while ((c = queue.poll()) != null) {
            if (c != POISON) {
                c.fail(new DatabaseClosedException(name + " was closed before " + c.describe() + " ran"));
            }
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        closeResources();
        OPEN.remove(this);
    }
}
