package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed article's Redis part, step by step: connect, then create, read, update and delete
 * plain keys and hashes.
 */
class SeedArticleRedisIT {
    private static final String P = "vtdb:it:seed:";

    @org.junit.jupiter.api.AfterAll
    static void cleanUp() {
        try (RedisClient redis = Redis.connect(RedisTests.options().build())) {
            RedisTests.deleteKeys(redis, P);
        }
    }

    @Test
    void connectCreateReadUpdateDeleteKeysAndHashes() {
        try (RedisClient redis = Redis.connect(RedisTests.options().build())) {
            // create
            assertThat(redis.set(P + "name", "Aiko")).succeedsWithin(WAIT);
            assertThat(redis.set(P + "age", "17", SetOptions.none().ex(Duration.ofMinutes(10))))
                    .succeedsWithin(WAIT)
                    .isEqualTo(true);
            assertThat(redis.hset(P + "girl:1", Map.of("name", "Aiko", "age", "17", "place", "Kyoto")))
                    .succeedsWithin(WAIT)
                    .isEqualTo(3L);
            // read
            assertThat(redis.get(P + "name")).succeedsWithin(WAIT).isEqualTo("Aiko");
            assertThat(redis.mget(P + "name", P + "age"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(java.util.List.of("Aiko", "17"));
            assertThat(redis.hget(P + "girl:1", "place")).succeedsWithin(WAIT).isEqualTo("Kyoto");
            assertThat(redis.hgetAll(P + "girl:1"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(Map.of("name", "Aiko", "age", "17", "place", "Kyoto"));
            // update
            assertThat(redis.set(P + "name", "Aiko Tanaka")).succeedsWithin(WAIT);
            assertThat(redis.incr(P + "age")).succeedsWithin(WAIT).isEqualTo(18L);
            assertThat(redis.hset(P + "girl:1", "place", "Osaka"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(0L);
            assertThat(redis.hincrBy(P + "girl:1", "age", 1))
                    .succeedsWithin(WAIT)
                    .isEqualTo(18L);
            assertThat(redis.get(P + "name")).succeedsWithin(WAIT).isEqualTo("Aiko Tanaka");
            assertThat(redis.hgetAll(P + "girl:1"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(Map.of("name", "Aiko", "age", "18", "place", "Osaka"));
            // delete
            assertThat(redis.hdel(P + "girl:1", "place")).succeedsWithin(WAIT).isEqualTo(1L);
            assertThat(redis.del(P + "name", P + "age", P + "girl:1"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(3L);
            assertThat(redis.exists(P + "name", P + "age", P + "girl:1"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(0L);
            RedisTests.assertIdle(redis);
        }
    }
}
