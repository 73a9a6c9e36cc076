package dev.vtdb.bench.redis;

import dev.vtdb.redis.RedisClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** vtdb's Redis client (automatic pipelining over Jedis) as a benchmark peer. */
final class VtdbRedisPeer implements RedisPeer {
    private final RedisClient redis;

    VtdbRedisPeer(RedisClient redis) {
        this.redis = redis;
    }

    @Override
    public CompletableFuture<String> get(String key) {
        return redis.get(key);
    }

    @Override
    public CompletableFuture<String> set(String key, String value) {
        return redis.set(key, value).thenApply(v -> "OK");
    }

    @Override
    public CompletableFuture<Integer> pipelineGets(String[] keys) {
        return redis.pipeline(p -> {
                    for (String k : keys) {
                        p.get(k);
                    }
                })
                .thenApply(
                        r -> (int) r.values().stream().filter(Objects::nonNull).count());
    }

    @Override
    public void close() {
        redis.close();
    }
}
