package dev.vtdb.bench.redis;

import dev.vtdb.bench.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lettuce 7 with default settings: every {@link #get}/{@link #set} goes through one shared
 * connection's async API. Explicit pipelines use a second connection with auto-flush off (the
 * documented way to pipeline in Lettuce), its writes serialized by a lock.
 */
final class LettucePeer implements RedisPeer {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> shared;
    private final StatefulRedisConnection<String, String> pipelining;
    private final ReentrantLock pipelineLock = new ReentrantLock();

    LettucePeer() {
        this.client = RedisClient.create("redis://" + Servers.REDIS_HOST + ":" + Servers.REDIS_PORT + "/0");
        this.shared = client.connect();
        this.pipelining = client.connect();
        this.pipelining.setAutoFlushCommands(false);
    }

    @Override
    public CompletableFuture<String> get(String key) {
        return shared.async().get(key).toCompletableFuture();
    }

    @Override
    public CompletableFuture<String> set(String key, String value) {
        return shared.async().set(key, value).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Integer> pipelineGets(String[] keys) {
        List<RedisFuture<String>> replies = new ArrayList<>(keys.length);
        pipelineLock.lock();
        try {
            RedisAsyncCommands<String, String> async = pipelining.async();
            for (String k : keys) {
                replies.add(async.get(k));
            }
            pipelining.flushCommands();
        } finally {
            pipelineLock.unlock();
        }
        CompletableFuture<?>[] all =
                replies.stream().map(RedisFuture::toCompletableFuture).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenApply(v -> {
            int n = 0;
            for (RedisFuture<String> r : replies) {
                if (r.toCompletableFuture().join() != null) {
                    n++;
                }
            }
            return n;
        });
    }

    @Override
    public void close() {
        shared.close();
        pipelining.close();
        client.shutdown();
    }
}
