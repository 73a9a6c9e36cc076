package dev.vtdb.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.PoolStats;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/** Shared helpers of the Redis integration tests. */
final class RedisTests {
    static final Duration WAIT = Duration.ofSeconds(5);

    private RedisTests() {}

    /**
     * Returns options for the shared test server (VTDB_REDIS_URL, local 6379, or Testcontainers).
     *
     * @return the options
     */
    static RedisOptions.Builder options() {
        return RedisOptions.fromUrl(TestServers.redisUrl()).toBuilder();
    }

    /**
     * Deletes every key under a prefix, with SCAN (never KEYS).
     *
     * @param redis the client
     * @param prefix the test class's prefix
     */
    static void deleteKeys(RedisClient redis, String prefix) {
        List<String> keys;
        try (var s = redis.scan(prefix + "*", 500)) {
            keys = s.collect(Collectors.toList());
        }
        for (int i = 0; i < keys.size(); i += 500) {
            redis.del(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(String[]::new))
                    .join();
        }
    }

    /**
     * Asserts nothing is queued or running, once the client's workers have settled: a worker whose
     * calls already failed by their deadline may still be waiting for its dead connection's read to
     * fail (a reset reaches it within milliseconds, a black hole only at the socket timeout).
     *
     * @param redis the client
     */
    static void assertIdle(RedisClient redis) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end
                && (redis.stats().active() > 0 || redis.stats().waiting() > 0)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        PoolStats stats = redis.stats();
        assertThat(stats.active()).as("active in %s", stats).isZero();
        assertThat(stats.waiting()).as("waiting in %s", stats).isZero();
    }
}
