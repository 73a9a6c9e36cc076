package dev.vtdb.bench.redis;

import dev.vtdb.bench.Servers;
import dev.vtdb.bench.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * A {@link JedisPool} of {@value Servers#POOL_SIZE} connections made asynchronous with a fixed
 * pool of {@value Servers#PLATFORM_THREADS} platform threads ({@code jedis-platform}) or one
 * virtual thread per call ({@code jedis-virtual}); each call borrows a connection. {@code
 * JedisPool} is deprecated in Jedis 8 (in favour of {@code RedisClient}) but it is still what most
 * applications run, so it is the peer.
 */
@SuppressWarnings("deprecation")
final class JedisPeer implements RedisPeer {
    private final JedisPool pool;
    private final ExecutorService platform;
    private final ThreadFactory virtual;

    JedisPeer(boolean virtualThreads) {
        JedisPoolConfig cfg = new JedisPoolConfig();
        cfg.setMaxTotal(Servers.POOL_SIZE);
        cfg.setMaxIdle(Servers.POOL_SIZE);
        cfg.setMinIdle(Servers.POOL_SIZE);
        cfg.setJmxEnabled(false);
        this.pool = new JedisPool(cfg, Servers.REDIS_HOST, Servers.REDIS_PORT);
        String tag = virtualThreads ? "bench-jedis-vt-" : "bench-jedis-";
        this.platform = virtualThreads ? null : Threads.fixedPlatform(tag, Servers.PLATFORM_THREADS);
        this.virtual = virtualThreads ? Threads.virtual(tag) : null;
    }

    private <T> CompletableFuture<T> call(Function<Jedis, T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable task = () -> {
            try (Jedis j = pool.getResource()) {
                f.complete(work.apply(j));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        };
        if (platform != null) {
            platform.execute(task);
        } else {
            virtual.newThread(task).start();
        }
        return f;
    }

    @Override
    public CompletableFuture<String> get(String key) {
        return call(j -> j.get(key));
    }

    @Override
    public CompletableFuture<String> set(String key, String value) {
        return call(j -> j.set(key, value));
    }

    @Override
    public CompletableFuture<Integer> pipelineGets(String[] keys) {
        return call(j -> {
            Pipeline p = j.pipelined();
            List<Response<String>> replies = new ArrayList<>(keys.length);
            for (String k : keys) {
                replies.add(p.get(k));
            }
            p.sync();
            int n = 0;
            for (Response<String> r : replies) {
                if (r.get() != null) {
                    n++;
                }
            }
            return n;
        });
    }

    @Override
    public void close() {
        if (platform != null) {
            platform.shutdown();
            try {
                platform.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
    }
}
