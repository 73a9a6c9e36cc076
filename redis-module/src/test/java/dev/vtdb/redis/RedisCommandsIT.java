package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.DatabaseClosedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisCommandsIT {
    private static final String P = "vtdb:it:cmd:";
    private static RedisClient redis;

    @BeforeAll
    static void connect() {
        redis = Redis.connect(RedisTests.options().clientName("vtdb-it-cmd").build());
    }

    @AfterAll
    static void cleanUp() {
        RedisTests.deleteKeys(redis, P);
        redis.close();
    }

    @Test
    void stringsRoundTripWithSetOptions() {
        String k = P + "s1";
        assertThat(redis.set(k, "v1")).succeedsWithin(WAIT);
        assertThat(redis.get(k)).succeedsWithin(WAIT).isEqualTo("v1");
        assertThat(redis.get(P + "missing")).succeedsWithin(WAIT).isNull();
        assertThat(redis.set(k, "v2", SetOptions.none().nx()))
                .succeedsWithin(WAIT)
                .isEqualTo(false);
        assertThat(redis.set(k, "v2", SetOptions.none().xx().ex(Duration.ofSeconds(100))))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.ttl(k))
                .succeedsWithin(WAIT)
                .satisfies(t -> assertThat(t).isBetween(90L, 100L));
        assertThat(redis.set(k, "v3", SetOptions.none().keepTtl()))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.ttl(k))
                .succeedsWithin(WAIT)
                .satisfies(t -> assertThat(t).isPositive());
        assertThat(redis.set(k, "v4", SetOptions.none().px(Duration.ofMillis(50_000))))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.setGet(k, "v5", SetOptions.none()))
                .succeedsWithin(WAIT)
                .isEqualTo("v4");
        assertThat(redis.set(P + "nx-new", "x", SetOptions.none().nx()))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.append(k, "!")).succeedsWithin(WAIT).isEqualTo(3L);
        assertThat(redis.getDel(k)).succeedsWithin(WAIT).isEqualTo("v5!");
        assertThat(redis.exists(k)).succeedsWithin(WAIT).isEqualTo(0L);
    }

    @Test
    void countersAndMultiKeyStrings() {
        String c = P + "counter";
        assertThat(redis.incr(c)).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.incrBy(c, 41)).succeedsWithin(WAIT).isEqualTo(42L);
        assertThat(redis.decr(c)).succeedsWithin(WAIT).isEqualTo(41L);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(P + "m1", "a");
        values.put(P + "m2", "b");
        assertThat(redis.mset(values)).succeedsWithin(WAIT);
        assertThat(redis.mget(P + "m1", P + "nope", P + "m2"))
                .succeedsWithin(WAIT)
                .isEqualTo(java.util.Arrays.asList("a", null, "b"));
    }

    @Test
    void getExSetsAndClearsExpiry() {
        String k = P + "getex";
        redis.set(k, "v").join();
        assertThat(redis.getEx(k, Duration.ofSeconds(60))).succeedsWithin(WAIT).isEqualTo("v");
        assertThat(redis.ttl(k))
                .succeedsWithin(WAIT)
                .satisfies(t -> assertThat(t).isBetween(50L, 60L));
        assertThat(redis.getExPersist(k)).succeedsWithin(WAIT).isEqualTo("v");
        assertThat(redis.ttl(k)).succeedsWithin(WAIT).isEqualTo(-1L);
    }

    @Test
    void keysExpireRenameTypeAndDelete() {
        String k = P + "k1";
        redis.set(k, "v").join();
        assertThat(redis.type(k)).succeedsWithin(WAIT).isEqualTo("string");
        assertThat(redis.expire(k, Duration.ofSeconds(30))).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(redis.pexpire(k, Duration.ofSeconds(20)))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.ttl(k))
                .succeedsWithin(WAIT)
                .satisfies(t -> assertThat(t).isBetween(10L, 20L));
        assertThat(redis.persist(k)).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(redis.ttl(k)).succeedsWithin(WAIT).isEqualTo(-1L);
        assertThat(redis.rename(k, P + "k2")).succeedsWithin(WAIT);
        assertThat(redis.exists(k, P + "k2")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.expire(P + "absent", Duration.ofSeconds(5)))
                .succeedsWithin(WAIT)
                .isEqualTo(false);
        assertThat(redis.ttl(P + "absent")).succeedsWithin(WAIT).isEqualTo(-2L);
        assertThat(redis.type(P + "absent")).succeedsWithin(WAIT).isEqualTo("none");
        assertThat(redis.del(P + "k2", P + "absent")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.rename(P + "absent", P + "x"))
                .failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("RENAME key '" + P + "absent'")
                .withMessageContaining("no such key");
    }

    @Test
    void hashes() {
        String h = P + "h1";
        assertThat(redis.hset(h, "name", "Alice")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.hset(h, Map.of("age", "17", "place", "Tokyo")))
                .succeedsWithin(WAIT)
                .isEqualTo(2L);
        assertThat(redis.hget(h, "name")).succeedsWithin(WAIT).isEqualTo("Alice");
        assertThat(redis.hget(h, "nope")).succeedsWithin(WAIT).isNull();
        assertThat(redis.hincrBy(h, "age", 1)).succeedsWithin(WAIT).isEqualTo(18L);
        assertThat(redis.hgetAll(h))
                .succeedsWithin(WAIT)
                .isEqualTo(Map.of("name", "Alice", "age", "18", "place", "Tokyo"));
        assertThat(redis.hdel(h, "place", "nope")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.hgetAll(P + "no-hash")).succeedsWithin(WAIT).isEqualTo(Map.of());
    }

    @Test
    void lists() {
        String l = P + "l1";
        assertThat(redis.rpush(l, "b", "c")).succeedsWithin(WAIT).isEqualTo(2L);
        assertThat(redis.lpush(l, "a")).succeedsWithin(WAIT).isEqualTo(3L);
        assertThat(redis.lrange(l, 0, -1)).succeedsWithin(WAIT).isEqualTo(List.of("a", "b", "c"));
        assertThat(redis.llen(l)).succeedsWithin(WAIT).isEqualTo(3L);
        assertThat(redis.lpop(l)).succeedsWithin(WAIT).isEqualTo("a");
        assertThat(redis.rpop(l)).succeedsWithin(WAIT).isEqualTo("c");
        assertThat(redis.rpop(P + "empty")).succeedsWithin(WAIT).isNull();
    }

    @Test
    void blockingPopWaitsForAnElementOnADedicatedConnection() {
        String l = P + "queue";
        CompletableFuture<Map.Entry<String, String>> pop = redis.blpop(Duration.ofSeconds(4), P + "other", l);
        assertThat(redis.rpush(l, "job-1")).succeedsWithin(WAIT);
        assertThat(pop).succeedsWithin(WAIT).isEqualTo(Map.entry(l, "job-1"));
        assertThat(redis.brpop(Duration.ofMillis(100), l)).succeedsWithin(WAIT).isNull();
    }

    @Test
    void sets() {
        String s = P + "set";
        assertThat(redis.sadd(s, "a", "b", "c")).succeedsWithin(WAIT).isEqualTo(3L);
        assertThat(redis.srem(s, "c")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.smembers(s)).succeedsWithin(WAIT).isEqualTo(Set.of("a", "b"));
        assertThat(redis.sismember(s, "a")).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(redis.sismember(s, "z")).succeedsWithin(WAIT).isEqualTo(false);
    }

    @Test
    void sortedSets() {
        String z = P + "zset";
        assertThat(redis.zadd(z, 1, "one")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.zadd(z, Map.of("two", 2.0, "three", 3.0)))
                .succeedsWithin(WAIT)
                .isEqualTo(2L);
        assertThat(redis.zincrBy(z, 10, "one")).succeedsWithin(WAIT).isEqualTo(11.0);
        assertThat(redis.zrange(z, 0, -1)).succeedsWithin(WAIT).isEqualTo(List.of("two", "three", "one"));
        assertThat(redis.zrangeWithScores(z, 0, 1))
                .succeedsWithin(WAIT)
                .isEqualTo(List.of(new ScoredValue("two", 2.0), new ScoredValue("three", 3.0)));
        assertThat(redis.zrangeByScore(z, 2, 3)).succeedsWithin(WAIT).isEqualTo(List.of("two", "three"));
        assertThat(redis.zscore(z, "one")).succeedsWithin(WAIT).isEqualTo(11.0);
        assertThat(redis.zrem(z, "two", "nope")).succeedsWithin(WAIT).isEqualTo(1L);
    }

    @Test
    void binaryValuesSurviveUnchanged() {
        byte[] blob = new byte[256];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        assertThat(redis.set(P + "bin", blob)).succeedsWithin(WAIT);
        assertThat(redis.getBytes(P + "bin")).succeedsWithin(WAIT).isEqualTo(blob);
        assertThat(redis.set(P + "bin", blob, SetOptions.none().xx()))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.hset(P + "binh", "f", blob)).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.hgetBytes(P + "binh", "f")).succeedsWithin(WAIT).isEqualTo(blob);
        assertThat(redis.set(P + "utf", "日本語 ✓")).succeedsWithin(WAIT);
        assertThat(redis.getBytes(P + "utf")).succeedsWithin(WAIT).isEqualTo("日本語 ✓".getBytes(StandardCharsets.UTF_8));
    }

    private static RedisCommandException failure(CompletableFuture<?> call) {
        Throwable t = call.handle((v, e) -> e)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                .join();
        assertThat(t).as("the call must fail").isNotNull();
        Throwable cause = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(RedisCommandException.class);
        return (RedisCommandException) cause;
    }

    @Test
    void rawCommandMessagesNameTheCommandButNeverItsArguments() {
        String secret = "wrong-pw-" + System.nanoTime();
        RedisCommandException auth = failure(redis.execute("AUTH", secret));
        assertThat(auth.command()).isEqualTo("AUTH");
        assertThat(auth.key()).isNull();
        assertThat(auth.getMessage()).contains("AUTH").doesNotContain(secret);
        assertThat(auth)
                .hasStackTraceContaining("AUTH")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(secret));
        RedisCommandException wrongType = failure(redis.execute("LPUSH", P + "raw:string-" + secret, "x")
                .thenCompose(v -> redis.execute("INCR", P + "raw:string-" + secret)));
        assertThat(wrongType.getMessage()).contains("INCR").doesNotContain(secret);
        assertThatThrownBy(() -> redis.execute("GET", (String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("args[0]");
    }

    @Test
    void valuesThatAreNotUtf8FailTheStringMethodsAndStayReadableAsBytes() {
        byte[] bad = {(byte) 0xC3, 0x28}; // a two-byte lead followed by '('
        String k = P + "not-utf8";
        assertThat(redis.set(k, bad)).succeedsWithin(WAIT);
        RedisCommandException get = failure(redis.get(k));
        assertThat(get.command()).isEqualTo("GET");
        assertThat(get.key()).isEqualTo(k);
        assertThat(get.getMessage())
                .contains("GET key '" + k + "' returned a value that is not valid UTF-8 (bytes C3 at offset 0)")
                .contains("getBytes(key)");
        assertThat(get.getCause()).isInstanceOf(java.nio.charset.MalformedInputException.class);
        assertThat(redis.getBytes(k)).succeedsWithin(WAIT).isEqualTo(bad);
        // every String read of it fails the same way; the value is untouched
        assertThat(failure(redis.mget(P + "missing", k)).getMessage()).contains("not valid UTF-8");
        assertThat(failure(redis.execute("GET", k)).getMessage()).contains("not valid UTF-8");
        assertThat(failure(redis.eval("return redis.call('GET', KEYS[1])", List.of(k), List.of()))
                        .getMessage())
                .contains("not valid UTF-8");
        assertThat(redis.transaction(List.of(k), t -> t.read(k)))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("not valid UTF-8");
        String h = P + "not-utf8-hash";
        assertThat(redis.hset(h, "f", bad)).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(failure(redis.hget(h, "f")).getMessage()).contains("hgetBytes(key, field)");
        assertThat(failure(redis.hgetAll(h)).getMessage()).contains("HGETALL key '" + h + "'");
        assertThat(redis.hgetBytes(h, "f")).succeedsWithin(WAIT).isEqualTo(bad);
        // a list holding it (copied server-side, byte for byte): BLPOP fails and puts it back, LPOP fails after
        // removing it
        String l = P + "not-utf8-list";
        assertThat(redis.eval(
                        "return redis.call('RPUSH', KEYS[1], redis.call('GET', KEYS[2]))", List.of(l, k), List.of()))
                .succeedsWithin(WAIT)
                .isEqualTo(1L);
        assertThat(failure(redis.lrange(l, 0, -1)).getMessage()).contains("LRANGE");
        assertThat(failure(redis.blpop(Duration.ofSeconds(1), l)).getMessage()).contains("BLPOP");
        assertThat(redis.llen(l)).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(failure(redis.lpop(l)).getMessage()).contains("LPOP");
        assertThat(redis.llen(l)).succeedsWithin(WAIT).isEqualTo(0L);
        // a value that really holds U+FFFD is text, and the connection still serves
        assertThat(redis.set(P + "fffd", "a\uFFFDb")).succeedsWithin(WAIT);
        assertThat(redis.get(P + "fffd")).succeedsWithin(WAIT).isEqualTo("a\uFFFDb");
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedBeforeSending() {
        String k = P + "lone";
        RedisCommandException set = failure(redis.set(k, "abc\uD800def"));
        assertThat(set.command()).isEqualTo("SET");
        assertThat(set.getMessage())
                .contains("SET key '" + k + "' refused: an argument is not valid Unicode"
                        + " (an unpaired surrogate U+D800 at index 3)")
                .contains("nothing was sent");
        assertThat(redis.exists(k)).succeedsWithin(WAIT).isEqualTo(0L);
        // a key: Jedis would have written "bad?key"
        assertThat(failure(redis.set(P + "lone:bad\uDC00key", "v")).getMessage())
                .contains("the key is not valid Unicode (an unpaired surrogate U+DC00 at index");
        assertThat(failure(redis.get(P + "lone:bad\uDC00key")).getMessage()).contains("the key is not valid Unicode");
        assertThat(redis.exists(P + "lone:bad?key")).succeedsWithin(WAIT).isEqualTo(0L);
        // fields, list values, multi-key writes, raw commands, messages
        assertThat(failure(redis.hset(P + "lone:h", "f\uD800", "v")).command()).isEqualTo("HSET");
        assertThat(failure(redis.rpush(P + "lone:l", "ok", "end\uD83D")).command())
                .isEqualTo("RPUSH");
        Map<String, String> pair = new LinkedHashMap<>();
        pair.put(P + "lone:m1", "fine");
        pair.put(P + "lone:m2", "\uDFFF");
        assertThat(failure(redis.mset(pair)).command()).isEqualTo("MSET");
        assertThat(failure(redis.execute("SET", P + "lone:raw", "\uD800")).command())
                .isEqualTo("SET");
        assertThat(failure(redis.publish(P + "lone:chan", "msg\uD800")).command())
                .isEqualTo("PUBLISH");
        assertThat(redis.exists(P + "lone:h", P + "lone:l", P + "lone:m1", P + "lone:m2", P + "lone:raw"))
                .succeedsWithin(WAIT)
                .isEqualTo(0L);
        assertThatThrownBy(() -> redis.scan(P + "\uD800*", 10))
                .isInstanceOf(RedisCommandException.class)
                .hasMessageContaining("not valid Unicode");
        // in a pipeline or a transaction the body fails and nothing of it is sent
        assertThat(redis.pipeline(p -> {
                    p.set(P + "lone:p1", "sent?");
                    p.set(P + "lone:p2", "\uD800");
                }))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("SET key '" + P + "lone:p2' refused");
        assertThat(redis.transaction(List.of(), t -> {
                    t.incr(P + "lone:t1");
                    t.sadd(P + "lone:t2", "\uDBFF");
                }))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("SADD key '" + P + "lone:t2' refused");
        assertThat(redis.exists(P + "lone:p1", P + "lone:p2", P + "lone:t1", P + "lone:t2"))
                .succeedsWithin(WAIT)
                .isEqualTo(0L);
        // a surrogate pair is valid: stored as UTF-8 and read back exactly
        String moon = "moon \uD83C\uDF19";
        assertThat(redis.set(k, moon)).succeedsWithin(WAIT);
        assertThat(redis.get(k)).succeedsWithin(WAIT).isEqualTo(moon);
        assertThat(redis.getBytes(k)).succeedsWithin(WAIT).isEqualTo(moon.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wrongTypeNamesCommandAndKey() {
        String k = P + "a-string";
        redis.set(k, "x").join();
        assertThat(redis.hget(k, "f"))
                .failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RedisCommandException.class, e -> {
                    assertThat(e.command()).isEqualTo("HGET");
                    assertThat(e.key()).isEqualTo(k);
                    assertThat(e.errorCode()).isEqualTo("WRONGTYPE");
                    assertThat(e.getMessage()).contains("HGET key '" + k + "'").contains("WRONGTYPE");
                });
        assertThat(redis.get(k)).succeedsWithin(WAIT).isEqualTo("x"); // the connection is fine
    }

    @Test
    void scanIsLazyAndHonoursMatchAndCount() {
        List<String> keys =
                IntStream.range(0, 250).mapToObj(i -> P + "scan:" + i).toList();
        Map<String, String> values = new LinkedHashMap<>();
        keys.forEach(k -> values.put(k, "v"));
        redis.mset(values).join();
        Set<String> seen;
        try (var s = redis.scan(P + "scan:*", 50)) {
            seen = s.collect(Collectors.toSet());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(keys);
        try (var s = redis.scan(P + "scan:*", 10)) {
            assertThat(s.limit(5).count()).isEqualTo(5); // stops after the first pages
        }
        try (var s = redis.scan(P + "no-such-prefix:*", 100)) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void hashSetAndSortedSetScans() {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            fields.put("f" + i, "v" + i);
            scores.put("m" + i, (double) i);
            members.add("s" + i);
        }
        redis.hset(P + "bigh", fields).join();
        redis.zadd(P + "bigz", scores).join();
        redis.sadd(P + "bigs", members.toArray(String[]::new)).join();
        try (var s = redis.hscan(P + "bigh", "f1*", 40)) {
            Map<String, String> got = s.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(got).hasSize(111).containsEntry("f123", "v123");
        }
        try (var s = redis.sscan(P + "bigs", null, 40)) {
            assertThat(s.collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(members);
        }
        try (var s = redis.zscan(P + "bigz", "m29*", 40)) {
            assertThat(s.toList()).contains(new ScoredValue("m299", 299.0)).hasSize(11);
        }
    }

    @Test
    void manyConcurrentCallersArePipelinedAndAnsweredInOrder() throws Exception {
        int callers = 256;
        int perCaller = 200;
        redis.set(P + "hot", "value").join();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        try (var exec = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < perCaller; i++) {
                                String key = P + "cc:" + caller;
                                assertThat(redis.incr(key).join()).isEqualTo(i + 1L);
                                assertThat(redis.get(P + "hot").join()).isEqualTo("value");
                            }
                        },
                        exec));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "redis: %d callers x %d commands: %.0f ops/s%n",
                callers, perCaller * 2, callers * perCaller * 2 / seconds);
    }

    @Test
    void viewWithTimeoutSharesTheConnections() {
        RedisClient fast = redis.withTimeout(Duration.ofMillis(500));
        assertThat(fast.ping()).succeedsWithin(WAIT).isEqualTo("PONG");
        assertThatThrownBy(() -> redis.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be > 0 but was PT0S");
    }

    @Test
    void cancelReturnsTrueOnlyForCommandsThatAreNeverSent() {
        // cancel() races the worker: some commands are still queued (cancelled, never sent), some
        // already taken for writing (cancel() is false and they run); never both at once
        int n = 300;
        List<Boolean> cancelled = new ArrayList<>(n);
        List<CompletableFuture<?>> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CompletableFuture<?> f = i % 2 == 0
                    ? redis.set(P + "cancel:" + i, "v")
                    : redis.pipeline(p -> {
                        p.set(P + "cancel:" + calls.size(), "v");
                        p.incr(P + "cancel:n:" + calls.size());
                    });
            calls.add(f);
            cancelled.add(f.cancel(false));
        }
        for (int i = 0; i < n; i++) {
            if (!cancelled.get(i)) {
                assertThat(calls.get(i)).as("call %d, not cancelled", i).succeedsWithin(WAIT);
            }
        }
        for (int i = 0; i < n; i++) {
            long written = redis.exists(P + "cancel:" + i).join();
            assertThat(written)
                    .as("call %d: cancel() returned %s", i, cancelled.get(i))
                    .isEqualTo(cancelled.get(i) ? 0L : 1L);
            if (i % 2 == 1) {
                assertThat(redis.exists(P + "cancel:n:" + i))
                        .succeedsWithin(WAIT)
                        .isEqualTo(written);
            }
        }
    }

    @Test
    void nullArgumentsFailTheCallNamingTheParameter() {
        assertThatThrownBy(() -> redis.get(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("key");
        assertThatThrownBy(() -> redis.hset(P + "null:h", null, "v"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("field");
        assertThatThrownBy(() -> redis.mget(P + "null:a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keys[1]");
        assertThatThrownBy(() -> redis.rpush(P + "null:l", "a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("values[1]");
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("f", null);
        assertThatThrownBy(() -> redis.hset(P + "null:h", withNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("fields has a null value");
        assertThatThrownBy(() -> redis.eval("return 1", java.util.Arrays.asList((String) null), List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keys[0]");
        assertThatThrownBy(() -> redis.blpop(Duration.ofMillis(10), P + "null:q", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("keys[1]");
        assertThatThrownBy(() -> redis.transaction(java.util.Arrays.asList(P + "null:t", null), t -> {}))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("watchedKeys[1]");
        // inside a pipeline body: the body fails, nothing of it is sent
        assertThat(redis.pipeline(p -> {
                    p.set(P + "null:p", "v");
                    p.get(null);
                }))
                .failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(NullPointerException.class)
                .withMessage("key");
        assertThat(redis.exists(P + "null:h", P + "null:l", P + "null:p"))
                .succeedsWithin(WAIT)
                .isEqualTo(0L);
    }

    @Test
    void callsAfterCloseFailClearly() {
        RedisClient other = Redis.connect(RedisTests.options().build());
        assertThat(other.ping()).succeedsWithin(WAIT);
        other.close();
        other.close(); // idempotent
        assertThat(other.get(P + "x"))
                .failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(DatabaseClosedException.class)
                .withMessageContaining("is closed");
    }
}
