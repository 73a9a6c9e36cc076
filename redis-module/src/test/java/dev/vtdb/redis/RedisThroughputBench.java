package dev.vtdb.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A quick throughput probe of automatic pipelining (not part of the suite: run it with
 * {@code ./mvnw -pl redis-module verify -Dit.test=RedisThroughputBench}). The real benchmarks live in
 * the bench module.
 */
class RedisThroughputBench {
    @Test
    void getsPerSecondAtManyCallers() throws Exception {
        try (RedisClient redis = Redis.connect(RedisTests.options().workers(4).build())) {
            redis.set("vtdb:bench:k", "v").join();
            for (int callers : new int[] {1, 16, 256, 4096}) {
                for (int round = 0; round < 2; round++) {
                    long ops = run(redis, callers, 2_000_000_000L);
                    System.out.printf("redis GET, %5d callers: %,10d ops/s%n", callers, ops / 2);
                }
            }
            redis.del("vtdb:bench:k").join();
            assertThat(redis.stats().active()).isZero();
        }
    }

    @Test
    @SuppressWarnings("deprecation") // JedisPool: the classic pool users compare against
    void baselineJedisPoolOnVirtualThreads() throws Exception {
        RedisOptions o = RedisTests.options().build();
        var config = new redis.clients.jedis.JedisPoolConfig();
        config.setMaxTotal(16);
        config.setMaxIdle(16);
        try (var pool = new redis.clients.jedis.JedisPool(config, o.host(), o.port())) {
            for (int callers : new int[] {1, 16, 256, 4096}) {
                long ops = run(
                        () -> {
                            try (var jedis = pool.getResource()) {
                                jedis.get("vtdb:bench:k");
                            }
                        },
                        callers,
                        2_000_000_000L);
                System.out.printf("JedisPool(16) GET, %5d callers: %,10d ops/s%n", callers, ops / 2);
            }
        }
    }

    private static long run(RedisClient redis, int callers, long nanos) throws Exception {
        return run(() -> redis.get("vtdb:bench:k").join(), callers, nanos);
    }

    private static long run(Runnable op, int callers, long nanos) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + nanos;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try (var exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                all.add(CompletableFuture.runAsync(
                        () -> {
                            long n = 0;
                            while (System.nanoTime() < end) {
                                op.run();
                                n++;
                            }
                            done.addAndGet(n);
                        },
                        exec));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        return done.get();
    }
}
