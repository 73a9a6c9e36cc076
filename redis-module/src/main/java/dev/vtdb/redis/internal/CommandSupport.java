package dev.vtdb.redis.internal;

import dev.vtdb.internal.InvalidText;
import dev.vtdb.redis.RedisCommandException;
import dev.vtdb.redis.RedisCommands;
import dev.vtdb.redis.ScoredValue;
import dev.vtdb.redis.SetOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Every pipelinable command, defined once: each builds an {@link Op} and hands it to
 * {@link #run(Op)}, which the client sends at once and a pipeline records.
 *
 * <p>Text goes out and comes back strictly as UTF-8: a key or argument that is not valid Unicode (an
 * unpaired surrogate, which Jedis would send as {@code '?'}) is refused before sending, and a reply
 * that is not UTF-8 fails the String method (see {@link StrictUtf8}) instead of arriving with U+FFFD.
 */
abstract class CommandSupport implements RedisCommands {
    private static final String[] NONE = new String[0];

    /**
     * Sends or records a command.
     *
     * @param op the command
     * @param <T> result type
     * @return the command's future
     */
    protected abstract <T> CompletableFuture<T> run(Op<T> op);

    /**
     * Returns the engine, for the name in messages.
     *
     * @return the engine
     */
    protected abstract Engine engine();

    /**
     * Refuses a command before sending it: the client fails its future; a pipeline or transaction
     * body throws, so nothing of the body is sent.
     *
     * @param refusal why
     * @param <T> result type
     * @return a failed future
     */
    protected <T> CompletableFuture<T> refuse(RedisCommandException refusal) {
        return CompletableFuture.failedFuture(refusal);
    }

    private <R> CompletableFuture<R> op(String name, String key, Function<PipeliningBase, Response<R>> append) {
        return op(name, key, NONE, append, Function.identity());
    }

    private <R, T> CompletableFuture<T> op(
            String name,
            String key,
            Function<PipeliningBase, Response<R>> append,
            Function<? super R, ? extends T> map) {
        return op(name, key, NONE, append, map);
    }

    private <R, T> CompletableFuture<T> op(
            String name,
            String key,
            String[] texts,
            Function<PipeliningBase, Response<R>> append,
            Function<? super R, ? extends T> map) {
        RedisCommandException refusal = invalidText(name, key, NONE, texts);
        if (refusal != null) {
            return refuse(refusal);
        }
        return run(Op.of(name, key, null, append, map));
    }

    private <R, T> CompletableFuture<T> multi(
            String name,
            String[] keys,
            Function<PipeliningBase, Response<R>> append,
            Function<? super R, ? extends T> map) {
        return multi(name, keys, NONE, append, map);
    }

    private <R, T> CompletableFuture<T> multi(
            String name,
            String[] keys,
            String[] texts,
            Function<PipeliningBase, Response<R>> append,
            Function<? super R, ? extends T> map) {
        String first = keys.length == 0 ? null : keys[0];
        RedisCommandException refusal = invalidText(name, first, keys, texts);
        if (refusal != null) {
            return refuse(refusal);
        }
        return run(Op.of(name, first, keys, append, map));
    }

    /**
     * Looks for keys or arguments that are not valid Unicode.
     *
     * @param command the command, for the message
     * @param key the (first) key, checked too when {@code keys} is empty
     * @param keys all keys of a multi-key command, or empty
     * @param texts the other arguments (values, fields, members...)
     * @return the refusal, or {@code null} when all are valid
     */
    RedisCommandException invalidText(String command, String key, String[] keys, String[] texts) {
        if (keys.length == 0 && key != null && InvalidText.problem(key) != null) {
            return refusal(command, key, "the key", InvalidText.problem(key));
        }
        for (String k : keys) {
            String problem = k == null ? null : InvalidText.problem(k);
            if (problem != null) {
                return refusal(command, key, "the key", problem);
            }
        }
        for (String t : texts) {
            String problem = t == null ? null : InvalidText.problem(t);
            if (problem != null) {
                return refusal(command, key, "an argument", problem);
            }
        }
        return null;
    }

    private RedisCommandException refusal(String command, String key, String what, String problem) {
        return new RedisCommandException(
                engine().name() + ": " + RedisErrors.describe(command, key) + " refused: " + what
                        + " is not valid Unicode (" + problem + "); Jedis would send '?' in its place, so nothing"
                        + " was sent",
                command,
                key,
                null,
                null);
    }

    /**
     * Checks an array argument and its elements, as the call is made (not later, inside the future).
     *
     * @param values the argument
     * @param name its parameter name, for the message
     * @throws NullPointerException naming {@code name} or {@code name[i]}
     */
    static void nonNull(String[] values, String name) {
        Objects.requireNonNull(values, name);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
        }
    }

    /**
     * Checks a list argument and its elements.
     *
     * @param values the argument
     * @param name its parameter name, for the message
     * @throws NullPointerException naming {@code name} or {@code name[i]}
     */
    static void nonNull(List<?> values, String name) {
        Objects.requireNonNull(values, name);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
        }
    }

    /**
     * Checks a map argument, its keys and its values.
     *
     * @param values the argument
     * @param name its parameter name, for the message
     * @throws NullPointerException naming {@code name}
     */
    static void nonNull(Map<String, ?> values, String name) {
        Objects.requireNonNull(values, name);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Objects.requireNonNull(e.getKey(), () -> name + " has a null key");
            Objects.requireNonNull(e.getValue(), () -> name + " has a null value");
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] bytes(String[] s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = bytes(s[i]);
        }
        return out;
    }

    private static List<byte[]> bytes(List<String> s) {
        List<byte[]> out = new ArrayList<>(s.size());
        for (String v : s) {
            out.add(bytes(v));
        }
        return out;
    }

    private static String[] concat(List<String> a, List<String> b) {
        String[] out = new String[a.size() + b.size()];
        int i = 0;
        for (String s : a) {
            out[i++] = s;
        }
        for (String s : b) {
            out[i++] = s;
        }
        return out;
    }

    static SetParams params(SetOptions o) {
        Objects.requireNonNull(o, "options");
        SetParams p = new SetParams();
        if (o.ttl() != null) {
            if (o.millis()) {
                p.px(o.ttl().toMillis());
            } else {
                p.ex(Math.max(1, o.ttl().toSeconds()));
            }
        }
        if (o.isKeepTtl()) {
            p.keepTtl();
        }
        if (o.isNx()) {
            p.nx();
        }
        if (o.isXx()) {
            p.xx();
        }
        return p;
    }

    private static Void ok(Object reply) {
        return null;
    }

    private static Boolean one(Long reply) {
        return reply != null && reply == 1L;
    }

    private static String[] nonEmpty(String what, String... values) {
        Objects.requireNonNull(values, what);
        if (values.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return values;
    }

    private static long millis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be > 0 but was " + ttl);
        }
        return ttl.toMillis();
    }

    @Override
    public CompletableFuture<String> ping() {
        return op(
                "PING",
                null,
                p -> p.sendCommand(Protocol.Command.PING, new String[0]),
                r -> SafeEncoder.encode((byte[]) r));
    }

    @Override
    public CompletableFuture<Object> execute(String command, String... args) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(args, "args");
        String[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            Objects.requireNonNull(a[i], "args[" + i + "]");
        }
        String name = command.toUpperCase(java.util.Locale.ROOT);
        RawCommand cmd = new RawCommand(name, bytes(name));
        String[] texts = new String[a.length + 1];
        texts[0] = command;
        System.arraycopy(a, 0, texts, 1, a.length);
        // no key: a raw command's arguments are never named in messages (AUTH, CONFIG SET ...)
        RedisCommandException refusal = invalidText(name, null, NONE, texts);
        if (refusal != null) {
            return refuse(refusal);
        }
        if (!engine().isCluster()) {
            return run(Op.of(name, null, null, p -> p.sendCommand(cmd, a), StrictUtf8::reply));
        }
        if (a.length == 0) {
            return refuse(new RedisCommandException(
                    engine().name() + ": " + name + " refused: in a cluster, execute takes its first argument as"
                            + " the key whose hash slot picks the node, and " + name + " has no argument; run"
                            + " commands without a key on one node (Redis.connect to that node)",
                    name,
                    null,
                    null,
                    null));
        }
        Object[] rest = java.util.Arrays.copyOfRange(a, 1, a.length, Object[].class);
        return run(Op.of(
                name,
                null,
                null,
                p -> p.sendCommand(
                        new redis.clients.jedis.CommandArguments(cmd).key(a[0]).addObjects(rest)),
                StrictUtf8::reply));
    }

    /** A command given by name to {@link #execute}; its {@code toString} is the name, for Jedis' messages. */
    private record RawCommand(String name, byte[] raw) implements redis.clients.jedis.commands.ProtocolCommand {
        @Override
        public byte[] getRaw() {
            return raw;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ---- strings

    @Override
    public CompletableFuture<String> get(String key) {
        Objects.requireNonNull(key, "key");
        return op("GET", key, p -> p.get(bytes(key)), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<byte[]> getBytes(String key) {
        Objects.requireNonNull(key, "key");
        return op("GET", key, p -> p.get(bytes(key)));
    }

    @Override
    public CompletableFuture<Void> set(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return op("SET", key, new String[] {value}, p -> p.set(key, value), CommandSupport::ok);
    }

    @Override
    public CompletableFuture<Boolean> set(String key, String value, SetOptions options) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(value, "value");
        SetParams params = params(options);
        return op("SET", key, new String[] {value}, p -> p.set(key, value, params), Objects::nonNull);
    }

    @Override
    public CompletableFuture<Void> set(String key, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return op("SET", key, p -> p.set(bytes(key), value), CommandSupport::ok);
    }

    @Override
    public CompletableFuture<Boolean> set(String key, byte[] value, SetOptions options) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(value, "value");
        SetParams params = params(options);
        return op("SET", key, p -> p.set(bytes(key), value, params), Objects::nonNull);
    }

    @Override
    public CompletableFuture<String> setGet(String key, String value, SetOptions options) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(value, "value");
        SetParams params = params(options);
        return op(
                "SET", key, new String[] {value}, p -> p.setGet(bytes(key), bytes(value), params), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<List<String>> mget(String... keys) {
        nonNull(keys, "keys");
        String[] k = nonEmpty("keys", keys).clone();
        return multi("MGET", k, p -> p.mget(bytes(k)), StrictUtf8::list);
    }

    @Override
    public CompletableFuture<Void> mset(Map<String, String> values) {
        nonNull(values, "values");
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values must not be empty");
        }
        String[] kv = new String[values.size() * 2];
        String[] keys = new String[values.size()];
        int i = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            keys[i / 2] = e.getKey();
            kv[i++] = e.getKey();
            kv[i++] = Objects.requireNonNull(e.getValue(), "value of " + e.getKey());
        }
        return multi("MSET", keys, kv, p -> p.mset(kv), CommandSupport::ok);
    }

    @Override
    public CompletableFuture<Long> incr(String key) {
        Objects.requireNonNull(key, "key");
        return op("INCR", key, p -> p.incr(key));
    }

    @Override
    public CompletableFuture<Long> incrBy(String key, long delta) {
        Objects.requireNonNull(key, "key");
        return op("INCRBY", key, p -> p.incrBy(key, delta));
    }

    @Override
    public CompletableFuture<Long> decr(String key) {
        Objects.requireNonNull(key, "key");
        return op("DECR", key, p -> p.decr(key));
    }

    @Override
    public CompletableFuture<Long> append(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return op("APPEND", key, new String[] {value}, p -> p.append(key, value), Function.identity());
    }

    @Override
    public CompletableFuture<String> getDel(String key) {
        Objects.requireNonNull(key, "key");
        return op("GETDEL", key, p -> p.getDel(bytes(key)), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<String> getEx(String key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        long ms = millis(ttl);
        return op("GETEX", key, p -> p.getEx(bytes(key), new GetExParams().px(ms)), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<String> getExPersist(String key) {
        Objects.requireNonNull(key, "key");
        return op("GETEX", key, p -> p.getEx(bytes(key), new GetExParams().persist()), StrictUtf8::decode);
    }

    // ---- keys

    @Override
    public CompletableFuture<Long> del(String... keys) {
        nonNull(keys, "keys");
        String[] k = nonEmpty("keys", keys).clone();
        return multi("DEL", k, p -> p.del(k), Function.identity());
    }

    @Override
    public CompletableFuture<Long> exists(String... keys) {
        nonNull(keys, "keys");
        String[] k = nonEmpty("keys", keys).clone();
        return multi("EXISTS", k, p -> p.exists(k), Function.identity());
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        long seconds = Math.max(1, millis(ttl) / 1000);
        return op("EXPIRE", key, p -> p.expire(key, seconds), CommandSupport::one);
    }

    @Override
    public CompletableFuture<Boolean> pexpire(String key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        long ms = millis(ttl);
        return op("PEXPIRE", key, p -> p.pexpire(key, ms), CommandSupport::one);
    }

    @Override
    public CompletableFuture<Long> ttl(String key) {
        Objects.requireNonNull(key, "key");
        return op("TTL", key, p -> p.ttl(key));
    }

    @Override
    public CompletableFuture<Boolean> persist(String key) {
        Objects.requireNonNull(key, "key");
        return op("PERSIST", key, p -> p.persist(key), CommandSupport::one);
    }

    @Override
    public CompletableFuture<String> type(String key) {
        Objects.requireNonNull(key, "key");
        return op("TYPE", key, p -> p.type(key));
    }

    @Override
    public CompletableFuture<Void> rename(String key, String newKey) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(newKey, "newKey");
        return multi("RENAME", new String[] {key, newKey}, p -> p.rename(key, newKey), CommandSupport::ok);
    }

    // ---- hashes

    @Override
    public CompletableFuture<Long> hset(String key, String field, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        return op("HSET", key, new String[] {field, value}, p -> p.hset(key, field, value), Function.identity());
    }

    @Override
    public CompletableFuture<Long> hset(String key, String field, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        return op("HSET", key, new String[] {field}, p -> p.hset(bytes(key), bytes(field), value), Function.identity());
    }

    @Override
    public CompletableFuture<Long> hset(String key, Map<String, String> fields) {
        Objects.requireNonNull(key, "key");
        nonNull(fields, "fields");
        Objects.requireNonNull(fields, "fields");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields must not be empty");
        }
        Map<String, String> copy = Map.copyOf(fields);
        return op(
                "HSET",
                key,
                concat(List.copyOf(copy.keySet()), List.copyOf(copy.values())),
                p -> p.hset(key, copy),
                Function.identity());
    }

    @Override
    public CompletableFuture<String> hget(String key, String field) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
        return op("HGET", key, new String[] {field}, p -> p.hget(bytes(key), bytes(field)), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<byte[]> hgetBytes(String key, String field) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
        return op("HGET", key, new String[] {field}, p -> p.hget(bytes(key), bytes(field)), Function.identity());
    }

    @Override
    public CompletableFuture<Map<String, String>> hgetAll(String key) {
        Objects.requireNonNull(key, "key");
        return op("HGETALL", key, p -> p.hgetAll(bytes(key)), StrictUtf8::map);
    }

    @Override
    public CompletableFuture<Long> hdel(String key, String... fields) {
        Objects.requireNonNull(key, "key");
        nonNull(fields, "fields");
        String[] f = nonEmpty("fields", fields).clone();
        return op("HDEL", key, f, p -> p.hdel(key, f), Function.identity());
    }

    @Override
    public CompletableFuture<Long> hincrBy(String key, String field, long delta) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
        return op("HINCRBY", key, new String[] {field}, p -> p.hincrBy(key, field, delta), Function.identity());
    }

    // ---- lists

    @Override
    public CompletableFuture<Long> lpush(String key, String... values) {
        Objects.requireNonNull(key, "key");
        nonNull(values, "values");
        String[] v = nonEmpty("values", values).clone();
        return op("LPUSH", key, v, p -> p.lpush(key, v), Function.identity());
    }

    @Override
    public CompletableFuture<Long> rpush(String key, String... values) {
        Objects.requireNonNull(key, "key");
        nonNull(values, "values");
        String[] v = nonEmpty("values", values).clone();
        return op("RPUSH", key, v, p -> p.rpush(key, v), Function.identity());
    }

    @Override
    public CompletableFuture<String> lpop(String key) {
        Objects.requireNonNull(key, "key");
        return op("LPOP", key, p -> p.lpop(bytes(key)), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<String> rpop(String key) {
        Objects.requireNonNull(key, "key");
        return op("RPOP", key, p -> p.rpop(bytes(key)), StrictUtf8::decode);
    }

    @Override
    public CompletableFuture<List<String>> lrange(String key, long start, long stop) {
        Objects.requireNonNull(key, "key");
        return op("LRANGE", key, p -> p.lrange(bytes(key), start, stop), StrictUtf8::list);
    }

    @Override
    public CompletableFuture<Long> llen(String key) {
        Objects.requireNonNull(key, "key");
        return op("LLEN", key, p -> p.llen(key));
    }

    // ---- sets

    @Override
    public CompletableFuture<Long> sadd(String key, String... members) {
        Objects.requireNonNull(key, "key");
        nonNull(members, "members");
        String[] m = nonEmpty("members", members).clone();
        return op("SADD", key, m, p -> p.sadd(key, m), Function.identity());
    }

    @Override
    public CompletableFuture<Long> srem(String key, String... members) {
        Objects.requireNonNull(key, "key");
        nonNull(members, "members");
        String[] m = nonEmpty("members", members).clone();
        return op("SREM", key, m, p -> p.srem(key, m), Function.identity());
    }

    @Override
    public CompletableFuture<Set<String>> smembers(String key) {
        Objects.requireNonNull(key, "key");
        return op("SMEMBERS", key, p -> p.smembers(bytes(key)), StrictUtf8::set);
    }

    @Override
    public CompletableFuture<Boolean> sismember(String key, String member) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(member, "member");
        return op("SISMEMBER", key, new String[] {member}, p -> p.sismember(key, member), Function.identity());
    }

    // ---- sorted sets

    @Override
    public CompletableFuture<Long> zadd(String key, double score, String member) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(member, "member");
        return op("ZADD", key, new String[] {member}, p -> p.zadd(key, score, member), Function.identity());
    }

    @Override
    public CompletableFuture<Long> zadd(String key, Map<String, Double> scores) {
        Objects.requireNonNull(key, "key");
        nonNull(scores, "scores");
        Objects.requireNonNull(scores, "scores");
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("scores must not be empty");
        }
        Map<String, Double> copy = Map.copyOf(scores);
        return op("ZADD", key, copy.keySet().toArray(String[]::new), p -> p.zadd(key, copy), Function.identity());
    }

    @Override
    public CompletableFuture<List<String>> zrange(String key, long start, long stop) {
        Objects.requireNonNull(key, "key");
        return op("ZRANGE", key, p -> p.zrange(bytes(key), start, stop), StrictUtf8::list);
    }

    @Override
    public CompletableFuture<List<ScoredValue>> zrangeWithScores(String key, long start, long stop) {
        Objects.requireNonNull(key, "key");
        return op("ZRANGE", key, p -> p.zrangeWithScores(bytes(key), start, stop), CommandSupport::scored);
    }

    static List<ScoredValue> scored(List<Tuple> tuples) {
        List<ScoredValue> out = new ArrayList<>(tuples.size());
        for (Tuple t : tuples) {
            out.add(new ScoredValue(StrictUtf8.decode(t.getBinaryElement()), t.getScore()));
        }
        return out;
    }

    @Override
    public CompletableFuture<List<String>> zrangeByScore(String key, double min, double max) {
        Objects.requireNonNull(key, "key");
        return op("ZRANGEBYSCORE", key, p -> p.zrangeByScore(bytes(key), min, max), StrictUtf8::list);
    }

    @Override
    public CompletableFuture<Double> zincrBy(String key, double delta, String member) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(member, "member");
        return op("ZINCRBY", key, new String[] {member}, p -> p.zincrby(key, delta, member), Function.identity());
    }

    @Override
    public CompletableFuture<Double> zscore(String key, String member) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(member, "member");
        return op("ZSCORE", key, new String[] {member}, p -> p.zscore(key, member), Function.identity());
    }

    @Override
    public CompletableFuture<Long> zrem(String key, String... members) {
        Objects.requireNonNull(key, "key");
        nonNull(members, "members");
        String[] m = nonEmpty("members", members).clone();
        return op("ZREM", key, m, p -> p.zrem(key, m), Function.identity());
    }

    // ---- scripting and pub/sub

    @Override
    public CompletableFuture<Object> eval(String script, List<String> keys, List<String> args) {
        nonNull(keys, "keys");
        nonNull(args, "args");
        Objects.requireNonNull(script, "script");
        List<String> k = List.copyOf(keys);
        List<String> a = List.copyOf(args);
        return multi(
                "EVAL",
                k.toArray(String[]::new),
                concat(List.of(script), a),
                p -> p.eval(bytes(script), bytes(k), bytes(a)),
                StrictUtf8::reply);
    }

    @Override
    public CompletableFuture<Object> evalsha(String sha1, List<String> keys, List<String> args) {
        nonNull(keys, "keys");
        nonNull(args, "args");
        Objects.requireNonNull(sha1, "sha1");
        List<String> k = List.copyOf(keys);
        List<String> a = List.copyOf(args);
        return multi(
                "EVALSHA",
                k.toArray(String[]::new),
                a.toArray(String[]::new),
                p -> p.evalsha(bytes(sha1), bytes(k), bytes(a)),
                StrictUtf8::reply);
    }

    @Override
    public CompletableFuture<String> scriptLoad(String script) {
        Objects.requireNonNull(script, "script");
        return op(
                "SCRIPT LOAD",
                null,
                new String[] {script},
                p -> p.sendCommand(Protocol.Command.SCRIPT, "LOAD", script),
                r -> SafeEncoder.encode((byte[]) r));
    }

    @Override
    public CompletableFuture<Long> publish(String channel, String message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        return op(
                "PUBLISH",
                null,
                new String[] {channel, message},
                p -> p.sendCommand(Protocol.Command.PUBLISH, channel, message),
                r -> (Long) r);
    }
}
