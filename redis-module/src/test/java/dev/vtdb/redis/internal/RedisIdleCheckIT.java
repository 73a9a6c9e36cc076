package dev.vtdb.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.redis.Redis;
import dev.vtdb.redis.RedisClient;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The after-each idle check itself: it must report an open client with a call in flight. */
class RedisIdleCheckIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aClientWithACallInFlightIsReportedUntilTheCallEnds() {
        String key = "vtdb:it:idlecheck:" + System.nanoTime();
        try (RedisClient redis = Redis.connect(TestServers.redisUrl())) {
            CompletableFuture<Map.Entry<String, String>> pop = redis.blpop(Duration.ofSeconds(3), key);
            assertThat(RedisIdleCheck.busyClients(Duration.ofMillis(200))).isNotEmpty();
            assertThat(redis.rpush(key, "go")).succeedsWithin(WAIT);
            assertThat(pop).succeedsWithin(WAIT).isEqualTo(Map.entry(key, "go"));
            assertThat(RedisIdleCheck.busyClients(WAIT)).isEmpty();
        }
    }
}
