package dev.vtdb.redis;

import dev.vtdb.redis.internal.DefaultRedisClient;
import dev.vtdb.redis.internal.StandaloneEngine;

/**
 * Entry point for a single Redis server: {@code RedisClient redis = Redis.connect("redis://localhost:6379/0");}.
 */
public final class Redis {
    private Redis() {}

    /**
     * Connects to the server named by a URL ({@code redis://[user:password@]host[:port][/db]},
     * {@code rediss://} for TLS) with default options.
     *
     * @param url the server URL
     * @return a connected client
     * @throws IllegalArgumentException when the URL is malformed
     * @throws dev.vtdb.ConnectionLostException when the server cannot be reached (the message names host:port)
     * @throws RedisCommandException when the server refuses the login or database
     */
    public static RedisClient connect(String url) {
        return connect(RedisOptions.fromUrl(url));
    }

    /**
     * Connects with explicit options: opens the pool, checks one connection with {@code PING},
     * and starts the workers.
     *
     * @param options the options
     * @return a connected client
     * @throws dev.vtdb.ConnectionLostException when the server cannot be reached (the message names host:port)
     * @throws RedisCommandException when the server refuses the login or database
     */
    public static RedisClient connect(RedisOptions options) {
        return new DefaultRedisClient(StandaloneEngine.start(options), options.timeout());
    }
}
