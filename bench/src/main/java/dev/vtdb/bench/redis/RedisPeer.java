package dev.vtdb.bench.redis;

import java.util.concurrent.CompletableFuture;

/**
 * The workloads of the Redis benchmarks, as one client library performs them; every peer (and,
 * after the merge, vtdb) implements this interface. Methods never block the caller.
 */
public interface RedisPeer extends AutoCloseable {

    /**
     * {@code GET key}.
     *
     * @param key the key
     * @return the value, or {@code null}
     */
    CompletableFuture<String> get(String key);

    /**
     * {@code SET key value}.
     *
     * @param key the key
     * @param value the value
     * @return the reply ({@code OK})
     */
    CompletableFuture<String> set(String key, String value);

    /**
     * One explicit pipeline of {@code GET}s: written together, replies read together.
     *
     * @param keys the keys, typically 100
     * @return the number of non-null replies
     */
    CompletableFuture<Integer> pipelineGets(String[] keys);

    /** Closes the connections and the peer's threads. */
    @Override
    void close();
}
