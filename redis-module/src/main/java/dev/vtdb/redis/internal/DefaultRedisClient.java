package dev.vtdb.redis.internal;

import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.PoolStats;
import dev.vtdb.Subscription;
import dev.vtdb.internal.Secrets;
import dev.vtdb.redis.PipelineResult;
import dev.vtdb.redis.RedisClient;
import dev.vtdb.redis.RedisCodec;
import dev.vtdb.redis.RedisCommandException;
import dev.vtdb.redis.RedisLock;
import dev.vtdb.redis.RedisMessage;
import dev.vtdb.redis.RedisPipeline;
import dev.vtdb.redis.RedisTransaction;
import dev.vtdb.redis.RedisWatchConflictException;
import dev.vtdb.redis.ScoredValue;
import dev.vtdb.redis.SetOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.KeyValue;

/** The {@link RedisClient} of both a single server and a cluster, over an {@link Engine}. */
public final class DefaultRedisClient extends CommandSupport implements RedisClient {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultRedisClient.class);
    private static final String RELEASE_SCRIPT =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static final String EXTEND_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then"
            + " return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private static final Duration BLOCKING_GRACE = Duration.ofSeconds(1);

    private final Engine engine;
    private final Duration timeout;
    private final Map<String, String> shas;

    /**
     * Creates a client over a started engine.
     *
     * @param engine the engine
     * @param timeout each call's default deadline
     */
    public DefaultRedisClient(Engine engine, Duration timeout) {
        this(engine, timeout, new ConcurrentHashMap<>());
    }

    private DefaultRedisClient(Engine engine, Duration timeout, Map<String, String> shas) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.timeout = positive(timeout);
        this.shas = shas;
    }

    private static Duration positive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
        }
        return timeout;
    }

    @Override
    protected <T> CompletableFuture<T> run(Op<T> op) {
        return engine.submit(op, timeout);
    }

    @Override
    protected Engine engine() {
        return engine;
    }

    @Override
    public RedisClient withTimeout(Duration timeout) {
        return new DefaultRedisClient(engine, timeout, shas);
    }

    // ---- scripting with a SHA cache

    static String sha1(String script) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(md.digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    @Override
    public CompletableFuture<Object> eval(String script, List<String> keys, List<String> args) {
        Objects.requireNonNull(script, "script");
        String sha = shas.computeIfAbsent(script, DefaultRedisClient::sha1);
        return evalsha(sha, keys, args).exceptionallyCompose(e -> {
            Throwable cause = RedisErrors.unwrap(e);
            if (cause instanceof RedisCommandException r && "NOSCRIPT".equals(r.errorCode())) {
                return super.eval(script, keys, args); // EVAL loads it into the server's cache
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    // ---- keyless commands a cluster pipeline refuses (ALL_SHARDS / ALL_NODES policies)

    @Override
    public CompletableFuture<String> ping() {
        if (!engine.isCluster()) {
            return super.ping();
        }
        return engine.dedicated("PING", null, null, timeout, Duration.ZERO, (j, c) -> j.ping());
    }

    @Override
    public CompletableFuture<String> scriptLoad(String script) {
        if (!engine.isCluster()) {
            return super.scriptLoad(script);
        }
        Objects.requireNonNull(script, "script");
        return masters().thenCompose(nodes -> {
            List<CompletableFuture<String>> loads = new ArrayList<>();
            for (String node : nodes) {
                loads.add(engine.dedicatedOn("SCRIPT LOAD", null, null, node, timeout, (j, c) -> j.scriptLoad(script)));
            }
            return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
                    .thenApply(v -> loads.get(0).join());
        });
    }

    private CompletableFuture<List<String>> masters() {
        return engine.dedicated("CLUSTER NODES", null, null, timeout, Duration.ZERO, (j, c) -> j.clusterNodes())
                .thenApply(ClusterEngine::masters);
    }

    // ---- blocking pops on dedicated connections

    @Override
    public CompletableFuture<Map.Entry<String, String>> blpop(Duration timeout, String... keys) {
        return blockingPop("BLPOP", true, timeout, keys);
    }

    @Override
    public CompletableFuture<Map.Entry<String, String>> brpop(Duration timeout, String... keys) {
        return blockingPop("BRPOP", false, timeout, keys);
    }

    private CompletableFuture<Map.Entry<String, String>> blockingPop(
            String command, boolean left, Duration wait, String... keys) {
        Objects.requireNonNull(wait, "timeout");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0 but was " + wait);
        }
        if (keys == null || keys.length == 0) {
            throw new IllegalArgumentException("keys must not be empty");
        }
        String[] k = keys.clone();
        nonNull(k, "keys");
        RedisCommandException refusal = invalidText(command, k[0], k, new String[0]);
        if (refusal != null) {
            return refuse(refusal);
        }
        String slotKey;
        try {
            slotKey = slotKey(command, List.of(k));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[][] binaryKeys = new byte[k.length][];
        for (int i = 0; i < k.length; i++) {
            binaryKeys[i] = bytes(k[i]);
        }
        return engine.dedicated(command, k[0], slotKey, timeout, BLOCKING_GRACE, (jedis, call) -> {
            long remaining = call.deadlineNanos() - System.nanoTime();
            boolean capped = wait.isZero() || wait.toNanos() > remaining;
            long nanos = capped ? remaining : wait.toNanos();
            if (nanos < 1_000_000) {
                throw call.deadlineError("waiting for a list element");
            }
            double seconds = nanos / 1e9;
            KeyValue<byte[], byte[]> kv = left ? jedis.blpop(seconds, binaryKeys) : jedis.brpop(seconds, binaryKeys);
            if (kv == null) {
                if (capped) {
                    throw call.deadlineError("waiting for a list element");
                }
                return null;
            }
            Map.Entry<String, String> entry = null;
            RuntimeException notText = null;
            try {
                entry = Map.entry(StrictUtf8.decode(kv.getKey()), StrictUtf8.decode(kv.getValue()));
            } catch (StrictUtf8.Malformed e) {
                notText = e;
            }
            // cancelled meanwhile, or not text: give the element back where it was, byte for byte
            if (call.abandoned() || notText != null) {
                if (left) {
                    jedis.lpush(kv.getKey(), kv.getValue());
                } else {
                    jedis.rpush(kv.getKey(), kv.getValue());
                }
                if (notText != null) {
                    throw notText;
                }
                return null;
            }
            return entry;
        });
    }

    private String slotKey(String command, List<String> keys) {
        if (engine instanceof ClusterEngine c) {
            return c.commonSlotKey(command, keys);
        }
        return null;
    }

    // ---- scans

    /** One page of a scan: the next cursor and the page's elements, decoded as text. */
    private record Chunk<T>(String cursor, List<T> elements) {}

    @FunctionalInterface
    private interface Page<T> {
        Chunk<T> fetch(Jedis jedis, String cursor);
    }

    private ScanParams scanParams(String command, String key, String match, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be > 0 but was " + count);
        }
        if (!"SCAN".equals(command)) {
            Objects.requireNonNull(key, "key");
        }
        RedisCommandException refusal =
                invalidText(command, key, key == null ? new String[0] : new String[] {key}, new String[] {match});
        if (refusal != null) {
            throw refusal; // a stream is not a future: the call itself fails
        }
        ScanParams p = new ScanParams().count(count);
        if (match != null) {
            p.match(match);
        }
        return p;
    }

    private static <T> Chunk<T> chunk(ScanResult<byte[]> r, java.util.function.Function<byte[], T> decode) {
        List<T> out = new ArrayList<>(r.getResult().size());
        for (byte[] b : r.getResult()) {
            out.add(decode.apply(b));
        }
        return new Chunk<>(r.getCursor(), out);
    }

    @Override
    public Stream<String> scan(String match, int count) {
        ScanParams params = scanParams("SCAN", null, match, count);
        List<String> nodes = new ArrayList<>();
        if (engine.isCluster()) {
            nodes.addAll(join(masters()));
        } else {
            nodes.add(null);
        }
        return stream(
                "SCAN", null, null, nodes, (j, cursor) -> chunk(j.scan(bytes(cursor), params), StrictUtf8::decode));
    }

    @Override
    public Stream<Map.Entry<String, String>> hscan(String key, String match, int count) {
        ScanParams params = scanParams("HSCAN", key, match, count);
        byte[] k = bytes(key);
        return stream("HSCAN", key, key, List.of(), (j, cursor) -> {
            ScanResult<Map.Entry<byte[], byte[]>> r = j.hscan(k, bytes(cursor), params);
            List<Map.Entry<String, String>> out = new ArrayList<>(r.getResult().size());
            for (Map.Entry<byte[], byte[]> e : r.getResult()) {
                out.add(Map.entry(StrictUtf8.decode(e.getKey()), StrictUtf8.decode(e.getValue())));
            }
            return new Chunk<>(r.getCursor(), out);
        });
    }

    @Override
    public Stream<String> sscan(String key, String match, int count) {
        ScanParams params = scanParams("SSCAN", key, match, count);
        byte[] k = bytes(key);
        return stream(
                "SSCAN",
                key,
                key,
                List.of(),
                (j, cursor) -> chunk(j.sscan(k, bytes(cursor), params), StrictUtf8::decode));
    }

    @Override
    public Stream<ScoredValue> zscan(String key, String match, int count) {
        ScanParams params = scanParams("ZSCAN", key, match, count);
        byte[] k = bytes(key);
        return stream("ZSCAN", key, key, List.of(), (j, cursor) -> {
            ScanResult<Tuple> r = j.zscan(k, bytes(cursor), params);
            List<ScoredValue> out = new ArrayList<>(r.getResult().size());
            for (Tuple t : r.getResult()) {
                out.add(new ScoredValue(StrictUtf8.decode(t.getBinaryElement()), t.getScore()));
            }
            return new Chunk<>(r.getCursor(), out);
        });
    }

    /** Lazily pages through a cursor; {@code nodes} lists cluster masters (or holds one null). */
    private <T> Stream<T> stream(String command, String key, String slotKey, List<String> nodes, Page<T> page) {
        Objects.requireNonNull(command);
        Iterator<String> nodeIt =
                (nodes.isEmpty() ? java.util.Collections.<String>singletonList(null) : nodes).iterator();
        Spliterator<T> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private final ArrayDeque<T> buffer = new ArrayDeque<>();
            private String node;
            private String cursor; // null: move to the next node
            private boolean started;

            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                while (buffer.isEmpty()) {
                    if (cursor == null) {
                        if (!nodeIt.hasNext()) {
                            return false;
                        }
                        node = nodeIt.next();
                        cursor = ScanParams.SCAN_POINTER_START;
                        started = false;
                    }
                    if (started && ScanParams.SCAN_POINTER_START.equals(cursor)) {
                        cursor = null; // this node is done
                        continue;
                    }
                    String from = cursor;
                    Chunk<T> r = join(
                            engine.dedicatedOn(command, key, slotKey, node, timeout, (j, c) -> page.fetch(j, from)));
                    started = true;
                    buffer.addAll(r.elements());
                    cursor = r.cursor();
                }
                action.accept(buffer.poll());
                return true;
            }
        };
        return StreamSupport.stream(split, false);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = RedisErrors.unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    // ---- pipelines and transactions

    @Override
    public CompletableFuture<PipelineResult> pipeline(Consumer<RedisPipeline> body) {
        Objects.requireNonNull(body, "body");
        PipelineRecorder recorder = new PipelineRecorder(engine, null, 1);
        try {
            body.accept(recorder);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            recorder.seal();
        }
        if (recorder.ops.isEmpty()) {
            return CompletableFuture.completedFuture(new PipelineResult(List.of(), List.of()));
        }
        SendFuture<PipelineResult> handle = new SendFuture<>();
        engine.submitBatch(recorder.ops, handle, () -> handle.complete(recorder.result()), timeout);
        return handle;
    }

    @Override
    public CompletableFuture<PipelineResult> transaction(
            Collection<String> watchedKeys, Consumer<RedisTransaction> body) {
        Objects.requireNonNull(body, "body");
        List<String> given = new ArrayList<>(Objects.requireNonNull(watchedKeys, "watchedKeys"));
        nonNull(given, "watchedKeys");
        List<String> watched = List.copyOf(given);
        String slotKey;
        try {
            slotKey = slotKey("MULTI/EXEC", watched);
            if (engine.isCluster() && slotKey == null) {
                throw new IllegalArgumentException(
                        "in a cluster, name at least one key in watchedKeys: it picks the node (slot) of the transaction");
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String first = watched.isEmpty() ? null : watched.get(0);
        int maxAttempts = engine.options().maxTransactionAttempts();
        return engine.dedicated("MULTI/EXEC", first, slotKey, timeout, Duration.ZERO, (jedis, call) -> {
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                PipelineRecorder recorder = new PipelineRecorder(engine, jedis, attempt);
                MultiExec tx = new MultiExec(jedis.getConnection());
                try {
                    if (!watched.isEmpty()) {
                        tx.watch(watched);
                    }
                    try {
                        body.accept(recorder);
                    } finally {
                        recorder.seal();
                    }
                    if (slotKey != null) {
                        checkSameSlot(slotKey, recorder.ops);
                    }
                    if (call.abandoned() || System.nanoTime() - call.deadlineNanos() >= 0) {
                        throw call.deadlineError("running the transaction body");
                    }
                    tx.multi();
                    for (Op<?> op : recorder.ops) {
                        op.append(tx);
                    }
                    int run = attempt;
                    boolean ran = tx.exec(
                            call,
                            (why, cause) ->
                                    execOutcomeUnknown(first, watched.size(), tx.queued(), run, call, why, cause));
                    if (call.abandoned()) {
                        // the deadline passed while EXEC's reply was awaited: the caller was told the
                        // outcome is unknown; the server's answer only goes to the log
                        LOG.info(
                                "{}: EXEC of a {} transaction answered after its caller stopped waiting: {}",
                                engine.name(),
                                RedisErrors.describe("MULTI/EXEC", first),
                                ran ? "it was applied" : "it ran nothing (a watched key changed)");
                    }
                    if (!ran) {
                        for (Op<?> op : recorder.ops) {
                            op.future.cancel(false);
                        }
                        if (call.abandoned()) {
                            throw call.deadlineError("waiting for EXEC"); // no retry for a caller that left
                        }
                        continue; // a watched key changed and EXEC ran nothing: run the body again
                    }
                    for (Op<?> op : recorder.ops) {
                        op.complete(engine);
                    }
                    return recorder.result();
                } catch (RuntimeException e) {
                    // never retried: after a lost EXEC the body's writes may already be applied
                    tx.abandon(e);
                    RuntimeException error = RedisErrors.translate(engine, "MULTI/EXEC", first, e);
                    for (Op<?> op : recorder.ops) {
                        op.fail(error);
                    }
                    throw error;
                }
            }
            throw new RedisWatchConflictException(
                    engine.name() + ": transaction on WATCHed " + watched + " gave up after " + maxAttempts
                            + (maxAttempts == 1 ? " attempt" : " attempts")
                            + ": another client changed a watched key before "
                            + (maxAttempts == 1 ? "its EXEC" : "each EXEC"),
                    first,
                    maxAttempts);
        });
    }

    /**
     * The error for a transaction whose {@code EXEC} was written but whose reply never came: it may
     * or may not have been applied, so it is never retried.
     */
    private CommitOutcomeUnknownException execOutcomeUnknown(
            String first,
            int watchedKeys,
            int queued,
            int attempt,
            Engine.DedicatedCall call,
            String why,
            Throwable cause) {
        String detail = cause == null ? "" : ": " + Secrets.mask(String.valueOf(cause.getMessage()));
        return new CommitOutcomeUnknownException(
                engine.name() + ": " + why + " after EXEC was sent and before its reply was read; the outcome of the "
                        + RedisErrors.describe("MULTI/EXEC", first)
                        + " transaction (" + watchedKeys + (watchedKeys == 1 ? " watched key, " : " watched keys, ")
                        + queued + (queued == 1 ? " queued command, " : " queued commands, ") + "attempt " + attempt
                        + ", elapsed " + call.elapsed().toMillis() + "ms of a "
                        + call.allowance().toMillis()
                        + "ms deadline) is unknown: it may or may not have been applied, and it is not retried;"
                        + " check its keys on the server" + detail,
                cause);
    }

    private void checkSameSlot(String slotKey, List<Op<?>> ops) {
        int slot = JedisClusterCRC16.getSlot(slotKey);
        for (Op<?> op : ops) {
            List<String> keys = op.keys != null ? List.of(op.keys) : op.key == null ? List.of() : List.of(op.key);
            for (String k : keys) {
                if (JedisClusterCRC16.getSlot(k) != slot) {
                    throw new RedisCommandException(
                            engine.name() + ": " + op.describe() + " refused: key '" + k + "' is in slot "
                                    + JedisClusterCRC16.getSlot(k) + " but the transaction runs on slot " + slot
                                    + " (of '" + slotKey + "'); share a {hash tag}",
                            op.name,
                            op.key,
                            "CROSSSLOT",
                            null);
                }
            }
        }
    }

    // ---- pub/sub

    @Override
    public CompletableFuture<Subscription> subscribe(Collection<String> channels, Consumer<RedisMessage> handler) {
        return subscribe(channels, handler, null);
    }

    @Override
    public CompletableFuture<Subscription> subscribe(
            Collection<String> channels, Consumer<RedisMessage> handler, Runnable onReconnect) {
        return startSubscription(channels, false, handler, onReconnect);
    }

    @Override
    public CompletableFuture<Subscription> psubscribe(
            Collection<String> patterns, Consumer<RedisMessage> handler, Runnable onReconnect) {
        return startSubscription(patterns, true, handler, onReconnect);
    }

    private CompletableFuture<Subscription> startSubscription(
            Collection<String> channels, boolean patterns, Consumer<RedisMessage> handler, Runnable onReconnect) {
        Objects.requireNonNull(handler, "handler");
        List<String> list = List.copyOf(new LinkedHashSet<>(channels));
        if (list.isEmpty()) {
            throw new IllegalArgumentException((patterns ? "patterns" : "channels") + " must not be empty");
        }
        if (engine.isClosed()) {
            return CompletableFuture.failedFuture(new dev.vtdb.DatabaseClosedException(
                    engine.name() + " is closed; " + (patterns ? "PSUBSCRIBE" : "SUBSCRIBE") + " refused"));
        }
        return new PubSubSubscription(engine, list, patterns, handler, onReconnect).start();
    }

    // ---- lock and cache

    @Override
    public CompletableFuture<Optional<RedisLock>> tryLock(String key, Duration lease) {
        Objects.requireNonNull(key, "key");
        String token = UUID.randomUUID().toString();
        return set(key, token, SetOptions.none().px(lease).nx())
                .thenApply(ok -> ok ? Optional.of(new Lock(key, token)) : Optional.empty());
    }

    private final class Lock implements RedisLock {
        private final String key;
        private final String token;

        Lock(String key, String token) {
            this.key = key;
            this.token = token;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public String token() {
            return token;
        }

        @Override
        public CompletableFuture<Boolean> release() {
            return eval(RELEASE_SCRIPT, List.of(key), List.of(token))
                    .thenApply(r -> Long.valueOf(1).equals(r));
        }

        @Override
        public CompletableFuture<Boolean> extend(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be > 0 but was " + lease);
            }
            return eval(EXTEND_SCRIPT, List.of(key), List.of(token, String.valueOf(lease.toMillis())))
                    .thenApply(r -> Long.valueOf(1).equals(r));
        }

        @Override
        public String toString() {
            return "RedisLock[" + key + "]";
        }
    }

    @Override
    public <T> CompletableFuture<T> cached(
            String key, Duration ttl, RedisCodec<T> codec, Supplier<CompletableFuture<T>> loader) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(loader, "loader");
        SetOptions expiry = SetOptions.none().px(ttl);
        return get(key).thenCompose(stored -> {
            if (stored != null) {
                return CompletableFuture.completedFuture(codec.decode(stored));
            }
            CompletableFuture<T> loaded = Objects.requireNonNull(loader.get(), "loader returned a null future");
            return loaded.thenCompose(value -> value == null
                    ? CompletableFuture.completedFuture(null)
                    : set(key, codec.encode(value), expiry).thenApply(ok -> value));
        });
    }

    // ---- lifecycle

    @Override
    public PoolStats stats() {
        return engine.stats();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "RedisClient[" + engine.name() + ", timeout=" + timeout.toMillis() + "ms, " + engine.stats() + "]";
    }
}
