package dev.vtdb.redis;

import dev.vtdb.PoolStats;
import dev.vtdb.Subscription;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An async Redis client over pooled Jedis connections, from {@link Redis#connect} or
 * {@link RedisCluster#connect}. Thread-safe; one per application.
 *
 * <p><b>How calls run.</b> A call does not start a thread: it enqueues the command and returns.
 * A few worker virtual threads ({@code vtdb-redis-worker-N}), each owning one connection, take
 * every command queued so far (up to {@link RedisOptions#maxBatch()}), write them as one pipeline
 * and complete the futures in order. The request queue is bounded: past it a call fails at once
 * with {@link dev.vtdb.PoolExhaustedException}. Blocking pops, transactions, scans and
 * subscriptions never use the workers' connections: each takes a dedicated pooled connection.
 *
 * <p><b>Deadlines.</b> Each call has one deadline: {@link RedisOptions#timeout()} (or
 * {@link #withTimeout}), shortened by an enclosing {@link dev.vtdb.Scope}. A command still queued
 * when its deadline passes, or whose future was cancelled, is dropped without being sent; one
 * already sent fails with {@link dev.vtdb.DeadlineExceededException} and its late reply is read
 * and discarded, so the connection stays usable. {@code cancel} on a command's (or a pipeline's)
 * future returns {@code true} only while it is still queued, and then it is never sent; once a
 * worker took it for writing, {@code cancel} returns {@code false} and the command completes from
 * its reply.
 *
 * <p><b>A dead connection is retried once.</b> When a worker's connection fails before any reply of
 * its batch was read (it was killed while idle, the server restarted), the batch is written once
 * more on a new connection, as redis-py's default {@code Retry} does on a {@code ConnectionError}.
 * That is at-least-once delivery: a command the server ran but whose reply was lost with the
 * connection runs again (an {@code INCR} may count twice). Transactions, blocking pops and scans run
 * on dedicated connections and are never retried; they fail with {@link
 * dev.vtdb.ConnectionLostException}.
 *
 * <p><b>Callbacks run on the worker</b> that completed the future (or on the dedicated call's
 * virtual thread): a {@code thenApply} chained on a future runs there and delays the commands
 * behind it. Keep such callbacks short and never {@code join()} another Redis call inside one
 * (the worker would wait for itself); use the {@code *Async} variants with your executor for heavy
 * work.
 */
public interface RedisClient extends RedisCommands, AutoCloseable {
    /**
     * Returns a view of this client whose calls use another default timeout; it shares the
     * connections and closing either closes both.
     *
     * @param timeout positive per-call deadline
     * @return the view
     * @throws IllegalArgumentException when the timeout is not positive
     */
    RedisClient withTimeout(Duration timeout);

    /**
     * Pops the first element of the first non-empty list, waiting up to {@code timeout}
     * ({@code BLPOP}) on a dedicated connection.
     *
     * @param timeout how long the server waits; {@code Duration.ZERO} waits until the call's deadline
     * @param keys the lists, tried in order
     * @return the list's key and the element, or {@code null} when the wait timed out; fails with
     *     {@link dev.vtdb.DeadlineExceededException} when the call's deadline is shorter than the wait
     *     and passes first, and with {@link dev.vtdb.PoolExhaustedException} when no dedicated
     *     connection was free within {@link RedisOptions#poolMaxWait()}
     */
    CompletableFuture<Map.Entry<String, String>> blpop(Duration timeout, String... keys);

    /**
     * Pops the last element of the first non-empty list, waiting up to {@code timeout}
     * ({@code BRPOP}); see {@link #blpop}.
     *
     * @param timeout how long the server waits
     * @param keys the lists
     * @return the key and the element, or {@code null} when the wait timed out
     */
    CompletableFuture<Map.Entry<String, String>> brpop(Duration timeout, String... keys);

    /**
     * Iterates the keyspace lazily with {@code SCAN} (never {@code KEYS}): each page is fetched on
     * a dedicated connection when the stream needs it, blocking the consuming thread for one round
     * trip (consume it on a virtual thread). In a cluster every master is scanned.
     *
     * @param match glob pattern such as {@code user:*}, or {@code null} for all keys
     * @param count page-size hint ({@code COUNT})
     * @return the keys; a key may appear twice if the keyspace is rehashed meanwhile (SCAN's contract)
     * @throws dev.vtdb.VtdbException from the stream's terminal operation when a page fails
     */
    Stream<String> scan(String match, int count);

    /**
     * Iterates a hash lazily with {@code HSCAN}; see {@link #scan}.
     *
     * @param key the hash
     * @param match field pattern, or {@code null}
     * @param count page-size hint
     * @return the fields and values
     */
    Stream<Map.Entry<String, String>> hscan(String key, String match, int count);

    /**
     * Iterates a set lazily with {@code SSCAN}; see {@link #scan}.
     *
     * @param key the set
     * @param match member pattern, or {@code null}
     * @param count page-size hint
     * @return the members
     */
    Stream<String> sscan(String key, String match, int count);

    /**
     * Iterates a sorted set lazily with {@code ZSCAN}; see {@link #scan}.
     *
     * @param key the sorted set
     * @param match member pattern, or {@code null}
     * @param count page-size hint
     * @return the members with scores
     */
    Stream<ScoredValue> zscan(String key, String match, int count);

    /**
     * Sends many commands in one round trip: the body queues them on the pipeline, then they are
     * written together and the replies matched in order. An error reply stays at its position.
     * In a cluster commands are grouped per node; a multi-key command whose keys span slots fails
     * at its position with {@link RedisCommandException}.
     *
     * @param body queues commands; it runs on the calling thread and must not wait for their futures
     * @return the replies in order; fails when the body throws, the deadline passes or the connection breaks
     */
    CompletableFuture<PipelineResult> pipeline(Consumer<RedisPipeline> body);

    /**
     * Runs {@code MULTI}/{@code EXEC} on a dedicated connection after {@code WATCH}ing keys. When
     * a watched key changes before {@code EXEC}, the body runs again, up to
     * {@link RedisOptions#maxTransactionAttempts()} times (redis-py's {@code transaction()}).
     *
     * <p>A connection lost before {@code EXEC} was written applies nothing and fails with
     * {@link dev.vtdb.ConnectionLostException}. Once {@code EXEC} was written, a lost connection
     * (reset, end of stream, socket read timeout) or a deadline passing before its reply fails with
     * {@link dev.vtdb.CommitOutcomeUnknownException}: the transaction may or may not have been
     * applied, and it is never run again; check on the server.
     *
     * @param watchedKeys keys to WATCH, may be empty; in a cluster all keys must share a slot
     * @param body reads with {@code read...}, then queues commands; runs on a virtual thread and may block
     * @return the EXEC replies in order; fails with {@link RedisWatchConflictException} after the
     *     last attempt, with the body's own exception when it throws (the transaction is discarded),
     *     with {@link dev.vtdb.CommitOutcomeUnknownException} when the reply to {@code EXEC} was lost
     */
    CompletableFuture<PipelineResult> transaction(Collection<String> watchedKeys, Consumer<RedisTransaction> body);

    /**
     * Subscribes to channels on a dedicated connection ({@code SUBSCRIBE}), which it holds (one of
     * {@link RedisOptions#poolSize()}) until closed. If the connection drops, the subscription
     * reconnects and resubscribes by itself.
     *
     * @param channels the channels
     * @param handler called for each message on the subscription's virtual thread; its exceptions are logged
     * @return the subscription, once the server confirmed it
     */
    CompletableFuture<Subscription> subscribe(Collection<String> channels, Consumer<RedisMessage> handler);

    /**
     * Subscribes to channels, with a callback after each automatic resubscribe (messages sent
     * while disconnected are lost: use it to reload state).
     *
     * @param channels the channels
     * @param handler called for each message
     * @param onReconnect called on the subscription's thread after each resubscribe
     * @return the subscription, once the server confirmed it
     */
    CompletableFuture<Subscription> subscribe(
            Collection<String> channels, Consumer<RedisMessage> handler, Runnable onReconnect);

    /**
     * Subscribes to one channel; see {@link #subscribe(Collection, Consumer)}.
     *
     * @param channel the channel
     * @param handler called for each message on the subscription's virtual thread
     * @return the subscription, once the server confirmed it
     * @throws NullPointerException when {@code channel} or {@code handler} is {@code null}
     */
    default CompletableFuture<Subscription> subscribe(String channel, Consumer<RedisMessage> handler) {
        return subscribe(List.of(channel), handler);
    }

    /**
     * Subscribes to channel patterns ({@code PSUBSCRIBE}) without a reconnect callback; see {@link
     * #subscribe}.
     *
     * @param patterns glob patterns such as {@code news.*}
     * @param handler called for each message, with the matching pattern set
     * @return the subscription, once the server confirmed it
     */
    default CompletableFuture<Subscription> psubscribe(Collection<String> patterns, Consumer<RedisMessage> handler) {
        return psubscribe(patterns, handler, null);
    }

    /**
     * Subscribes to one channel pattern ({@code PSUBSCRIBE}); see {@link #subscribe}.
     *
     * @param pattern a glob pattern such as {@code news.*}
     * @param handler called for each message, with the matching pattern set
     * @return the subscription, once the server confirmed it
     * @throws NullPointerException when {@code pattern} or {@code handler} is {@code null}
     */
    default CompletableFuture<Subscription> psubscribe(String pattern, Consumer<RedisMessage> handler) {
        return psubscribe(List.of(pattern), handler, null);
    }

    /**
     * Subscribes to channel patterns ({@code PSUBSCRIBE}); see {@link #subscribe}.
     *
     * @param patterns glob patterns such as {@code news.*}
     * @param handler called for each message, with the matching pattern set
     * @param onReconnect called after each automatic resubscribe, or {@code null}
     * @return the subscription, once the server confirmed it
     */
    CompletableFuture<Subscription> psubscribe(
            Collection<String> patterns, Consumer<RedisMessage> handler, Runnable onReconnect);

    /**
     * Tries once to take a lock ({@code SET key token NX PX lease}). Single instance only: see
     * {@link RedisLock}.
     *
     * @param key the lock's key
     * @param lease how long the lock lives unless released or extended
     * @return the lock when taken, empty when someone else holds it
     */
    CompletableFuture<Optional<RedisLock>> tryLock(String key, Duration lease);

    /**
     * Cache-aside: returns the decoded value stored at {@code key}, or calls the loader, stores its
     * result for {@code ttl} and returns it. A {@code null} result is returned but not stored. The
     * loader is called on the thread that completed the {@code GET} (a worker): it should start
     * asynchronous work and return its future (as {@code db.fetchRow(...)} does), not block.
     *
     * @param key the cache key
     * @param ttl how long a loaded value is kept
     * @param codec turns values into strings and back
     * @param loader loads the value on a miss (for example a SQL query)
     * @param <T> the value type
     * @return the cached or loaded value; fails with the loader's exception
     */
    <T> CompletableFuture<T> cached(
            String key, Duration ttl, RedisCodec<T> codec, Supplier<CompletableFuture<T>> loader);

    /**
     * Returns the current counters: queued and running calls, workers, queue bound, and pooled
     * connections held, idle and awaited.
     *
     * @return the counters
     */
    PoolStats stats();

    /**
     * Stops accepting calls, lets the workers finish what is queued, closes subscriptions and the
     * pool. Running transactions and scans get until {@link RedisOptions#timeout()} after close began
     * to finish; then they, and blocking pops at once, fail with {@link
     * dev.vtdb.DatabaseClosedException} and their connections are closed (a transaction whose
     * {@code EXEC} was already written fails with {@link dev.vtdb.CommitOutcomeUnknownException}).
     * Calls made afterwards fail with {@link dev.vtdb.DatabaseClosedException}. Idempotent.
     */
    @Override
    void close();
}
