package dev.vtdb.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A lock held on one Redis server: a key set with {@code SET NX PX} to a random token, released
 * by a Lua script that deletes the key only while it still holds that token. Obtained from
 * {@link RedisClient#tryLock}.
 *
 * <p><b>Single instance only.</b> The lock is as safe as the one server holding it: a failover to
 * a replica that had not yet received the key, or a lease that expires while the holder is paused,
 * lets two holders in. Use it for efficiency (avoid duplicate work), not for correctness across
 * failures; fence writes with a version when correctness matters.
 */
public interface RedisLock extends AutoCloseable {
    /**
     * Returns the lock's key.
     *
     * @return the key
     */
    String key();

    /**
     * Returns the random token proving ownership.
     *
     * @return the token
     */
    String token();

    /**
     * Releases the lock if this holder still owns it.
     *
     * @return {@code true} when released, {@code false} when the lease had expired or another holder owns it
     */
    CompletableFuture<Boolean> release();

    /**
     * Extends the lease if this holder still owns the lock.
     *
     * @param lease the new time to live from now
     * @return {@code true} when extended, {@code false} when the lock was lost
     */
    CompletableFuture<Boolean> extend(Duration lease);

    /**
     * Releases the lock if this holder still owns it and waits for the answer, so that a lock can be
     * held with try-with-resources. A lock that expired or was taken over is left alone.
     *
     * @throws dev.vtdb.VtdbException when the release failed (the server could not be reached, the
     *     deadline passed)
     */
    @Override
    default void close() {
        try {
            release().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
