package dev.vtdb.redis;

import dev.vtdb.redis.internal.ClusterEngine;
import dev.vtdb.redis.internal.DefaultRedisClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Entry point for Redis Cluster (through Jedis' {@code JedisCluster}): the same {@link RedisClient}
 * API, with commands routed by hash slot. Multi-key commands, transactions and pipelines' multi-key
 * commands need their keys in one slot (use a {@code {hash tag}}); otherwise they fail with a
 * {@link RedisCommandException} naming the slots.
 */
public final class RedisCluster {
    private RedisCluster() {}

    /**
     * Connects to a cluster through one or more seed nodes given as URLs
     * ({@code redis://[user:password@]host:port}) or as plain {@code host:port}; login and TLS come
     * from the first seed.
     *
     * @param seedUrls at least one node's URL or {@code host:port}
     * @return a connected client
     * @throws IllegalArgumentException when no seed is given or a URL is malformed
     * @throws dev.vtdb.ConnectionLostException when no seed node can be reached
     */
    public static RedisClient connect(String... seedUrls) {
        if (seedUrls == null || seedUrls.length == 0) {
            throw new IllegalArgumentException("at least one seed node URL is needed");
        }
        RedisOptions first = RedisOptions.fromUrl(asUrl(seedUrls[0]));
        List<String> nodes = new ArrayList<>();
        for (String url : seedUrls) {
            nodes.add(RedisOptions.fromUrl(asUrl(url)).address());
        }
        return connect(nodes, first);
    }

    private static String asUrl(String seed) {
        Objects.requireNonNull(seed, "seed");
        return seed.contains("://") ? seed : "redis://" + seed.strip();
    }

    /**
     * Connects to a cluster with explicit options; the options' host and port are ignored in
     * favour of the seed nodes.
     *
     * @param seedNodes {@code host:port} of at least one node
     * @param options login, timeouts, workers, pool size
     * @return a connected client
     * @throws IllegalArgumentException when no seed is given or one is not {@code host:port}
     * @throws dev.vtdb.ConnectionLostException when no seed node can be reached
     */
    public static RedisClient connect(Collection<String> seedNodes, RedisOptions options) {
        Objects.requireNonNull(options, "options");
        if (seedNodes == null || seedNodes.isEmpty()) {
            throw new IllegalArgumentException("at least one seed node is needed");
        }
        return new DefaultRedisClient(ClusterEngine.start(List.copyOf(seedNodes), options), options.timeout());
    }
}
