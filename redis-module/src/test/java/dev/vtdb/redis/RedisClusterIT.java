package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.Subscription;
import dev.vtdb.testkit.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The same API against a local 3-master Redis Cluster started by the test. */
class RedisClusterIT {
    private static LocalCluster cluster;
    private static RedisClient redis;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start();
        redis = RedisCluster.connect(cluster.seeds(), RedisOptions.builder().build());
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void commandsAreRoutedBySlotAcrossTheMasters() {
        List<String> keys = IntStream.range(0, 200).mapToObj(i -> "c:key:" + i).toList();
        assertThat(keys.stream()
                        .map(JedisClusterCRC16::getSlot)
                        .map(s -> s * 3 / 16384)
                        .distinct())
                .hasSize(3); // the keys land on all three masters
        List<CompletableFuture<Void>> sets =
                keys.stream().map(k -> redis.set(k, "v-" + k)).toList();
        sets.forEach(f -> assertThat(f).succeedsWithin(WAIT));
        for (String k : keys) {
            assertThat(redis.get(k)).succeedsWithin(WAIT).isEqualTo("v-" + k);
        }
        assertThat(redis.hset("c:hash", Map.of("a", "1"))).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.hincrBy("c:hash", "a", 2)).succeedsWithin(WAIT).isEqualTo(3L);
        assertThat(redis.zadd("c:z", 1.5, "m")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.ping()).succeedsWithin(WAIT).isEqualTo("PONG");
    }

    @Test
    void executeIsRoutedByItsFirstArgumentsSlot() {
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "c:raw:" + i).toList();
        for (String k : keys) {
            assertThat(redis.execute("SET", k, "v-" + k)).succeedsWithin(WAIT).isEqualTo("OK");
        }
        for (String k : keys) {
            assertThat(redis.execute("GET", k)).succeedsWithin(WAIT).isEqualTo("v-" + k);
            assertThat(redis.get(k)).succeedsWithin(WAIT).isEqualTo("v-" + k);
        }
        assertThat(redis.pipeline(p -> keys.forEach(k -> p.execute("STRLEN", k))))
                .succeedsWithin(WAIT)
                .satisfies(r -> assertThat(r.values())
                        .isEqualTo(keys.stream()
                                .map(k -> (Object) (long) ("v-" + k).length())
                                .toList()));
    }

    @Test
    void executeWithoutAKeyIsRefusedNamingTheCommand() {
        assertThat(redis.execute("DBSIZE"))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("DBSIZE refused")
                .withMessageContaining("first argument")
                .withMessageNotContaining("Lambda");
    }

    @Test
    void connectingThroughPlainHostPortSeedsWorks() {
        try (RedisClient viaSeeds = RedisCluster.connect(cluster.seeds().toArray(String[]::new))) {
            assertThat(viaSeeds.set("c:seeds", "ok")).succeedsWithin(WAIT);
            assertThat(redis.get("c:seeds")).succeedsWithin(WAIT).isEqualTo("ok");
            RedisTests.assertIdle(viaSeeds);
        }
    }

    @Test
    void connectingThroughUrlsWorksToo() {
        try (RedisClient viaUrl = RedisCluster.connect(cluster.seedUrl())) {
            assertThat(viaUrl.set("c:url", "ok")).succeedsWithin(WAIT);
            assertThat(redis.get("c:url")).succeedsWithin(WAIT).isEqualTo("ok");
        }
    }

    @Test
    void multiKeyCommandsSpanningSlotsAreRefusedClearly() {
        assertThat(redis.mget("c:a", "c:b"))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RedisCommandException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("CROSSSLOT");
                    assertThat(e.getMessage())
                            .contains("MGET key 'c:a'")
                            .contains("span hash slots")
                            .contains("hash tag");
                });
        Map<String, String> tagged = new LinkedHashMap<>();
        tagged.put("{user:1}:name", "Aiko");
        tagged.put("{user:1}:city", "Kyoto");
        assertThat(redis.mset(tagged)).succeedsWithin(WAIT);
        assertThat(redis.mget("{user:1}:name", "{user:1}:city"))
                .succeedsWithin(WAIT)
                .isEqualTo(List.of("Aiko", "Kyoto"));
        assertThat(redis.del("{user:1}:name", "{user:1}:city"))
                .succeedsWithin(WAIT)
                .isEqualTo(2L);
        // a blocking pop over slots names itself, not a transaction
        assertThat(redis.blpop(Duration.ofMillis(100), "c:a", "c:b"))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("BLPOP refused")
                .withMessageContaining("BLPOP needs all its keys in one slot")
                .withMessageNotContaining("transaction");
    }

    @Test
    void pipelinesAreGroupedPerNodeAndKeepTheirOrder() {
        CompletableFuture<PipelineResult> result = redis.pipeline(p -> {
            for (int i = 0; i < 30; i++) {
                p.set("c:p:" + i, String.valueOf(i));
            }
            p.mget("c:p:1", "c:p:2"); // spans slots: refused at its position
            for (int i = 0; i < 30; i++) {
                p.incr("c:p:" + i);
            }
        });
        assertThat(result).succeedsWithin(WAIT).satisfies(r -> {
            assertThat(r.size()).isEqualTo(61);
            assertThat(r.error(30))
                    .hasValueSatisfying(e -> assertThat(e.errorCode()).isEqualTo("CROSSSLOT"));
            for (int i = 0; i < 30; i++) {
                assertThat(r.get(31 + i)).isEqualTo(i + 1L);
            }
        });
    }

    @Test
    void transactionsRunOnTheSlotOfTheirKeys() {
        redis.set("{acct}:balance", "100").join();
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of("{acct}:balance"), t -> {
            long b = Long.parseLong(t.read("{acct}:balance"));
            t.set("{acct}:balance", String.valueOf(b - 10));
            t.rpush("{acct}:log", "-10");
        });
        assertThat(tx).succeedsWithin(WAIT).satisfies(r -> assertThat(r.get(1)).isEqualTo(1L));
        assertThat(redis.get("{acct}:balance")).succeedsWithin(WAIT).isEqualTo("90");
        assertThat(redis.transaction(List.of("c:x", "c:y"), t -> t.set("c:x", "1")))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("span hash slots");
        assertThat(redis.transaction(List.of("{acct}:balance"), t -> t.set("c:elsewhere", "1")))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(RedisCommandException.class)
                .withMessageContaining("c:elsewhere");
        assertThat(redis.exists("c:elsewhere")).succeedsWithin(WAIT).isEqualTo(0L);
        assertThatThrownBy(() -> redis.transaction(List.of(), t -> {}).join())
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scanVisitsEveryMaster() {
        Set<String> keys = IntStream.range(0, 120).mapToObj(i -> "c:scan:" + i).collect(Collectors.toSet());
        List<CompletableFuture<Void>> sets = new ArrayList<>();
        keys.forEach(k -> sets.add(redis.set(k, "1")));
        sets.forEach(CompletableFuture::join);
        try (var s = redis.scan("c:scan:*", 25)) {
            assertThat(s.collect(Collectors.toSet())).isEqualTo(keys);
        }
        redis.sadd("c:set", "a", "b", "c").join();
        try (var s = redis.sscan("c:set", null, 10)) {
            assertThat(s.collect(Collectors.toSet())).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void blockingPopAndPubSubWork() throws Exception {
        CompletableFuture<Map.Entry<String, String>> pop = redis.blpop(Duration.ofSeconds(4), "c:queue");
        redis.rpush("c:queue", "job").join();
        assertThat(pop).succeedsWithin(WAIT).isEqualTo(Map.entry("c:queue", "job"));
        LinkedBlockingQueue<RedisMessage> inbox = new LinkedBlockingQueue<>();
        try (Subscription sub =
                redis.subscribe(List.of("c:chan"), inbox::add).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            assertThat(sub.isActive()).isTrue();
            redis.publish("c:chan", "hi").join();
            assertThat(inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo(new RedisMessage(null, "c:chan", "hi"));
        }
    }

    @Test
    void unreachableSeedsFailClearly() {
        int port = PrivateRedis.sparePort();
        assertThatThrownBy(() -> RedisCluster.connect("redis://127.0.0.1:" + port))
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("cannot connect");
    }

    @Test
    void aSeedThatAcceptsAndNeverAnswersCostsTheConnectTimeoutNotTheSocketTimeout() {
        String live = cluster.seeds().getFirst();
        int livePort = Integer.parseInt(live.substring(live.lastIndexOf(':') + 1));
        RedisOptions options = RedisOptions.builder()
                .connectTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        try (FaultProxy silent = FaultProxy.start("127.0.0.1", livePort)) {
            silent.blackhole(); // accepts the TCP connection, never answers
            String silentSeed = "127.0.0.1:" + silent.port();
            // the silent seed first: the cluster is still found through the one that answers
            CompletableFuture<RedisClient> both =
                    CompletableFuture.supplyAsync(() -> RedisCluster.connect(List.of(silentSeed, live), options));
            assertThat(both).succeedsWithin(WAIT);
            try (RedisClient client = both.join()) {
                assertThat(client.set("c:silent-seed", "ok")).succeedsWithin(WAIT);
                assertThat(client.get("c:silent-seed")).succeedsWithin(WAIT).isEqualTo("ok");
            }
            // only the silent seed: fails within the wait (the 60 s socket timeout would not)
            CompletableFuture<RedisClient> none =
                    CompletableFuture.supplyAsync(() -> RedisCluster.connect(List.of(silentSeed), options));
            assertThat(none)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining(silentSeed)
                    .withMessageContaining("connect timeout");
        }
    }
}
