/**
 * vtdb for Redis: async commands returning {@link java.util.concurrent.CompletableFuture}s, run
 * over pooled Jedis connections by a few worker virtual threads with automatic pipelining.
 *
 * <pre>{@code
 * try (RedisClient redis = Redis.connect("redis://localhost:6379/0")) {
 *     redis.set("girl:1:name", "Aiko").join();                          // await redis.set(...)
 *     String name = redis.get("girl:1:name").join();                    // await redis.get(...)
 *     redis.hset("girl:1", Map.of("age", "17", "place", "Kyoto")).join();
 *     Map<String, String> girl = redis.hgetAll("girl:1").join();
 *     PipelineResult r = redis.pipeline(p -> {                          // async with r.pipeline() as p
 *         p.incr("visits");
 *         p.expire("visits", Duration.ofHours(1));
 *     }).join();
 *     redis.transaction(List.of("balance"), tx -> {                     // r.transaction(fn, "balance")
 *         long b = Long.parseLong(tx.read("balance"));
 *         tx.set("balance", String.valueOf(b - 10));
 *     }).join();
 * }
 * }</pre>
 *
 * <p>{@link dev.vtdb.redis.Redis} and {@link dev.vtdb.redis.RedisCluster} connect;
 * {@link dev.vtdb.redis.RedisClient} is the API; {@link dev.vtdb.redis.RedisOptions} configures
 * it. Errors are {@link dev.vtdb.VtdbException}s: {@link dev.vtdb.redis.RedisCommandException}
 * for error replies, and core's {@code DeadlineExceededException}, {@code PoolExhaustedException},
 * {@code ConnectionLostException} and {@code DatabaseClosedException}.
 */
package dev.vtdb.redis;
