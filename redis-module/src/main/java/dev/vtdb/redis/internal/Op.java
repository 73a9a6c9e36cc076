package dev.vtdb.redis.internal;

import java.util.function.Function;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Response;

/**
 * One Redis command: how to append it to a Jedis pipeline (or transaction), how to map its reply,
 * and the future its caller holds.
 *
 * @param <T> the mapped result type
 */
public final class Op<T> {
    final String name;
    final String key;
    final String[] keys;
    private final Function<PipeliningBase, Response<?>> append;
    private final Function<Object, T> map;
    final SendFuture<T> future = new SendFuture<>();
    private Response<?> response;

    private Op(
            String name,
            String key,
            String[] keys,
            Function<PipeliningBase, Response<?>> append,
            Function<Object, T> map) {
        this.name = name;
        this.key = key;
        this.keys = keys;
        this.append = append;
        this.map = map;
    }

    /**
     * Creates a command whose reply is mapped.
     *
     * @param name command name for messages
     * @param key first key, or {@code null}
     * @param keys all keys when more than one (for cluster slot checks), or {@code null}
     * @param append appends the command to a pipeline
     * @param map maps the raw reply
     * @param <R> raw reply type
     * @param <T> result type
     * @return the command
     */
    @SuppressWarnings("unchecked")
    static <R, T> Op<T> of(
            String name,
            String key,
            String[] keys,
            Function<PipeliningBase, Response<R>> append,
            Function<? super R, ? extends T> map) {
        return new Op<>(name, key, keys, p -> append.apply(p), raw -> map.apply((R) raw));
    }

    /**
     * Appends the command to a pipeline or transaction.
     *
     * @param pipeline the Jedis pipeline
     */
    void append(PipeliningBase pipeline) {
        response = append.apply(pipeline);
    }

    /**
     * Completes the future from the reply read by {@code sync()}/{@code exec()}.
     *
     * @param engine for error messages
     */
    void complete(Engine engine) {
        if (response == null || future.isDone()) {
            return;
        }
        Object raw;
        try {
            raw = response.get();
        } catch (RuntimeException e) {
            future.completeExceptionally(RedisErrors.translate(engine, name, key, e));
            return;
        }
        try {
            future.complete(map.apply(raw));
        } catch (RuntimeException e) {
            future.completeExceptionally(RedisErrors.translate(engine, name, key, e));
        }
    }

    /**
     * Tells whether the reply to the last {@link #append} was read.
     *
     * @return {@code false} when it was never appended or its reply never came back
     */
    boolean replyRead() {
        if (response == null) {
            return false;
        }
        try {
            response.get();
            return true;
        } catch (IllegalStateException e) {
            return false; // Jedis: the pipeline did not read this reply
        } catch (RuntimeException e) {
            return true; // an error reply
        }
    }

    /**
     * Fails the command.
     *
     * @param error the error
     */
    void fail(Throwable error) {
        future.completeExceptionally(error);
    }

    /**
     * Describes the command for messages, such as {@code GET key 'k'}.
     *
     * @return the description
     */
    String describe() {
        return RedisErrors.describe(name, key);
    }
}
