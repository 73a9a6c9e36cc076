package dev.vtdb.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.testkit.FaultProxy;
import dev.vtdb.testkit.Outcome;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reliability of the Redis client under load and faults: cancellation storm, network black hole
 * and a reset while EXEC's reply is in flight (both through the test kit's fault proxy), and a
 * server restart with 200 calls in flight (on a private server). Each scenario prints one
 * {@code RELIABILITY |} line for docs/RELIABILITY.md.
 */
class RedisReliabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Retries a call a bounded number of times: the first calls after a fault meet dead connections. */
    private static <T> T eventually(java.util.function.Supplier<CompletableFuture<T>> call) {
        CompletionException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return call.get().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            } catch (CompletionException e) {
                last = e;
            }
        }
        throw new AssertionError("no success after 50 attempts", last);
    }

    @Test
    void cancellationStormLosesNoAcknowledgedWrite() {
        String prefix = "vtdb:storm:" + System.nanoTime() + ":";
        try (RedisClient redis = Redis.connect(TestServers.redisUrl())) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            List<CompletableFuture<Void>> toCancel = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                CompletableFuture<Void> f = redis.set(prefix + i, "v" + i);
                calls.add(f);
                if (random.nextBoolean()) {
                    toCancel.add(f);
                }
                if (i % 50 == 0 && !toCancel.isEmpty()) {
                    toCancel.remove(random.nextInt(toCancel.size())).cancel(true);
                }
            }
            toCancel.forEach(f -> f.cancel(true));
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            Set<Integer> lost = new HashSet<>();
            for (int i = 0; i < calls.size(); i++) {
                if (!calls.get(i).isCompletedExceptionally()) {
                    String v = redis.get(prefix + i).join();
                    if (!("v" + i).equals(v)) {
                        lost.add(i);
                    }
                }
            }
            assertThat(lost).as("every acknowledged SET is readable").isEmpty();
            RedisTests.assertIdle(redis);
            outcome.report(
                    "redis",
                    "cancellation storm",
                    "10,000 SETs",
                    "~50% cancelled at random moments",
                    lost.size(),
                    redis.stats().active());
            for (int i = 0; i < calls.size(); i += 500) {
                String[] keys = new String[500];
                for (int k = 0; k < 500; k++) {
                    keys[k] = prefix + (i + k);
                }
                redis.del(keys).join();
            }
        }
    }

    @Test
    void blackHoleEndsEveryCallByItsDeadline() {
        String url = TestServers.redisUrl();
        try (FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                RedisClient redis = Redis.connect(RedisOptions.fromUrl(url).toBuilder()
                        .host("127.0.0.1")
                        .port(proxy.port())
                        .timeout(Duration.ofMillis(500))
                        .connectTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(2))
                        .build())) {
            assertThat(redis.set("vtdb:blackhole", "1")).succeedsWithin(WAIT);
            proxy.blackhole();
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(redis.get("vtdb:blackhole"));
            }
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            for (CompletableFuture<String> c : calls) {
                assertThat(Outcome.cause(c)).isInstanceOf(DeadlineExceededException.class);
            }
            proxy.pass();
            proxy.resetAll();
            assertThat(eventually(() -> redis.get("vtdb:blackhole"))).isEqualTo("1");
            RedisTests.assertIdle(redis);
            outcome.report(
                    "redis",
                    "network black hole",
                    "20 GETs, 500 ms deadline",
                    "proxy stops forwarding",
                    0,
                    redis.stats().active());
            // the other worker may still hold a reset connection and lose its first batch
            eventually(() -> redis.del("vtdb:blackhole"));
        }
    }

    @Test
    void connectionResetAfterExecIsCommitOutcomeUnknownAndNeverRetried() {
        String url = TestServers.redisUrl();
        // no "EXEC" or "MULTI" in keys or values: the proxy looks for the marker in every packet
        String p = "vtdb:it:lostreply:" + System.nanoTime() + ":";
        try (RedisClient direct = Redis.connect(url);
                FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                RedisClient redis = Redis.connect(RedisOptions.fromUrl(url).toBuilder()
                        .host("127.0.0.1")
                        .port(proxy.port())
                        .timeout(Duration.ofSeconds(5))
                        .build())) {
            assertThat(direct.set(p + "balance", "100")).succeedsWithin(WAIT);
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<PipelineResult> tx = redis.transaction(List.of(p + "balance"), t -> {
                runs.incrementAndGet();
                long balance = Long.parseLong(t.read(p + "balance"));
                t.set(p + "balance", String.valueOf(balance - 30));
                t.rpush(p + "ledger", "-30");
                proxy.resetAfterClientSends("EXEC"); // forward EXEC, swallow its reply, reset
            });
            Outcome outcome = Outcome.settle(List.of(tx), WAIT);
            assertThat(outcome.hung()).isZero();
            assertThat(Outcome.cause(tx))
                    .isInstanceOfSatisfying(
                            CommitOutcomeUnknownException.class,
                            e -> assertThat(e.getMessage())
                                    .startsWith("redis 127.0.0.1:" + proxy.port()
                                            + ": the connection was lost after EXEC was sent")
                                    .contains("(1 watched key, 2 queued commands, attempt 1, elapsed ")
                                    .contains("ms of a 5000ms deadline) is unknown")
                                    .contains("not retried"));
            assertThat(runs)
                    .as("a body whose EXEC may have applied is never run again")
                    .hasValue(1);
            // asked directly, not through the proxy: the server got EXEC and applied the transaction
            String balance = direct.get(p + "balance").join();
            List<String> ledger = direct.lrange(p + "ledger", 0, -1).join();
            long lost = "70".equals(balance) && ledger.equals(List.of("-30")) ? 0 : 1;
            assertThat(balance).isEqualTo("70");
            assertThat(ledger).containsExactly("-30");
            RedisTests.assertIdle(redis);
            // the reset connection was dropped: a fresh one serves the next transaction
            assertThat(redis.transaction(List.of(p + "balance"), t -> t.incr(p + "balance")))
                    .succeedsWithin(WAIT)
                    .satisfies(r -> assertThat(r.get(0)).isEqualTo(71L));
            assertThat(direct.get(p + "balance")).succeedsWithin(WAIT).isEqualTo("71");
            RedisTests.assertIdle(redis);
            outcome.report(
                    "redis",
                    "reset during EXEC",
                    "1 transaction",
                    "proxy forwards EXEC, swallows the reply, resets",
                    lost,
                    redis.stats().active());
            direct.del(p + "balance", p + "ledger").join();
        }
    }

    @Test
    void serverRestartWith200CallsInFlightFailsCleanlyAndRecovers() {
        try (PrivateRedis server = PrivateRedis.start();
                RedisClient redis = Redis.connect(RedisOptions.fromUrl(server.url()).toBuilder()
                        .timeout(Duration.ofSeconds(10))
                        .connectTimeout(Duration.ofSeconds(1))
                        .build())) {
            assertThat(redis.set("k", "v")).succeedsWithin(WAIT);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(redis.get("k"));
            }
            server.kill();
            server.startProcess();
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            eventually(() -> redis.set("k", "again"));
            assertThat(eventually(() -> redis.get("k"))).isEqualTo("again");
            RedisTests.assertIdle(redis);
            outcome.report(
                    "redis",
                    "server restart",
                    "200 calls in flight",
                    "private redis-server killed and started",
                    0,
                    redis.stats().active());
        }
    }
}
