package dev.vtdb.bench.redis;

import dev.vtdb.bench.Servers;
import dev.vtdb.redis.Redis;

/**
 * Creates Redis peers by the name used in the benchmarks' {@code @Param("peer")}.
 *
 * <p>{@code vtdb} is one of the peers, measured side by side with the others; see {@link
 * #open}, and {@code "vtdb"} to the {@code peer} parameter lists of the Redis benchmark classes.
 */
public final class RedisPeers {
    /** A Jedis pool on a fixed pool of platform threads. */
    public static final String JEDIS_PLATFORM = "jedis-platform";

    /** A Jedis pool on one virtual thread per call. */
    public static final String JEDIS_VIRTUAL = "jedis-virtual";

    /** Lettuce's async API on one shared connection. */
    public static final String LETTUCE_ASYNC = "lettuce-async";

    /** vtdb's Redis client with automatic pipelining. */
    public static final String VTDB = "vtdb";

    private RedisPeers() {}

    /**
     * Opens a Redis peer against the local server.
     *
     * @param name one of the constants of this class
     * @return the peer, connected
     * @throws IllegalArgumentException for an unknown name
     */
    public static RedisPeer open(String name) {
        return switch (name) {
            case JEDIS_PLATFORM -> new JedisPeer(false);
            case JEDIS_VIRTUAL -> new JedisPeer(true);
            case LETTUCE_ASYNC -> new LettucePeer();
            case VTDB -> new VtdbRedisPeer(Redis.connect(Servers.redisUrl()));
            default -> throw new IllegalArgumentException("unknown Redis peer: " + name);
        };
    }
}
