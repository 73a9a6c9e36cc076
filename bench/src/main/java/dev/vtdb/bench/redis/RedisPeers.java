package dev.vtdb.bench.redis;

/**
 * Creates Redis peers by the name used in the benchmarks' {@code @Param("peer")}.
 *
 * <p><b>VTDB:</b> after the merge, add {@code case "vtdb" -> new VtdbRedisPeer(...)} to {@link
 * #open}, and {@code "vtdb"} to the {@code peer} parameter lists of the Redis benchmark classes.
 */
public final class RedisPeers {
    /** A Jedis pool on a fixed pool of platform threads. */
    public static final String JEDIS_PLATFORM = "jedis-platform";

    /** A Jedis pool on one virtual thread per call. */
    public static final String JEDIS_VIRTUAL = "jedis-virtual";

    /** Lettuce's async API on one shared connection. */
    public static final String LETTUCE_ASYNC = "lettuce-async";

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
            // VTDB: case "vtdb" -> new VtdbRedisPeer(Redis.connect(Servers.redisUrl()));
            default -> throw new IllegalArgumentException("unknown Redis peer: " + name);
        };
    }
}
