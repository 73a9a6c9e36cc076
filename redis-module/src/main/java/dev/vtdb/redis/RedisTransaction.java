package dev.vtdb.redis;

import java.util.Map;

/**
 * The body's view of a {@link RedisClient#transaction transaction}: the watched keys are already
 * WATCHed, the {@code read...} methods run at once on the transaction's connection (before
 * {@code MULTI}), and the inherited command methods are queued inside {@code MULTI}/{@code EXEC}.
 * The body runs on a virtual thread that owns the connection, so it may block.
 */
public interface RedisTransaction extends RedisPipeline {
    /**
     * Reads a string value now, before {@code MULTI} ({@code GET}).
     *
     * @param key the key (usually a watched one)
     * @return the value, or {@code null}
     * @throws RedisCommandException when the server answers with an error
     */
    String read(String key);

    /**
     * Reads a hash field now, before {@code MULTI} ({@code HGET}).
     *
     * @param key the hash
     * @param field the field
     * @return the value, or {@code null}
     * @throws RedisCommandException when the server answers with an error
     */
    String readHashField(String key, String field);

    /**
     * Reads a whole hash now, before {@code MULTI} ({@code HGETALL}).
     *
     * @param key the hash
     * @return the fields, empty when missing
     * @throws RedisCommandException when the server answers with an error
     */
    Map<String, String> readHash(String key);

    /**
     * Returns which attempt this is (1 for the first run, 2 after a first WATCH conflict...).
     *
     * @return the 1-based attempt number
     */
    int attempt();
}
