package dev.vtdb.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.PoolStats;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.List;
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
     * Asserts nothing is queued or running.
     *
     * @param redis the client
     */
    static void assertIdle(RedisClient redis) {
        PoolStats stats = redis.stats();
        assertThat(stats.active()).as("active in %s", stats).isZero();
        assertThat(stats.waiting()).as("waiting in %s", stats).isZero();
    }
}
