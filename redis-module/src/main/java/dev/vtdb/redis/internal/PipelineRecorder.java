package dev.vtdb.redis.internal;

import dev.vtdb.redis.PipelineResult;
import dev.vtdb.redis.RedisCommandException;
import dev.vtdb.redis.RedisTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/** Records the commands of a pipeline or transaction body; reads run at once for transactions. */
final class PipelineRecorder extends CommandSupport implements RedisTransaction {
    final List<Op<?>> ops = new ArrayList<>();
    private final Engine engine;
    private final Jedis jedis;
    private final int attempt;
    private boolean sealed;

    PipelineRecorder(Engine engine, Jedis jedis, int attempt) {
        this.engine = engine;
        this.jedis = jedis;
        this.attempt = attempt;
    }

    @Override
    protected <T> CompletableFuture<T> run(Op<T> op) {
        if (sealed) {
            throw new IllegalStateException(
                    "this pipeline was already sent; queue commands inside the body, not afterwards");
        }
        ops.add(op);
        return op.future;
    }

    @Override
    protected Engine engine() {
        return engine;
    }

    /** Throws: a body that queues text that is not valid Unicode fails as a whole, nothing is sent. */
    @Override
    protected <T> CompletableFuture<T> refuse(RedisCommandException refusal) {
        throw refusal;
    }

    void seal() {
        sealed = true;
    }

    PipelineResult result() {
        List<Object> values = new ArrayList<>(ops.size());
        List<RedisCommandException> errors = new ArrayList<>(ops.size());
        for (Op<?> op : ops) {
            CompletableFuture<?> f = op.future;
            if (f.isDone() && !f.isCompletedExceptionally()) {
                values.add(f.resultNow());
                errors.add(null);
            } else {
                values.add(null);
                Throwable e = f.isDone() && !f.isCancelled() ? f.exceptionNow() : null;
                errors.add(
                        e instanceof RedisCommandException r
                                ? r
                                : new RedisCommandException(
                                        engine.name() + ": " + op.describe() + " failed: " + e,
                                        op.name,
                                        op.key,
                                        null,
                                        e));
            }
        }
        return new PipelineResult(values, errors);
    }

    private <T> T now(String command, String key, Supplier<T> read) {
        if (jedis == null) {
            throw new UnsupportedOperationException(
                    "read methods exist only inside transaction(); a pipeline sends everything at once");
        }
        if (sealed) {
            throw new IllegalStateException("the transaction body has ended");
        }
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw RedisErrors.translate(engine, command, key, e);
        }
    }

    @Override
    public String read(String key) {
        checkText("GET", key);
        return now("GET", key, () -> StrictUtf8.decode(jedis.get(bytes(key))));
    }

    @Override
    public String readHashField(String key, String field) {
        checkText("HGET", key, field);
        return now("HGET", key, () -> StrictUtf8.decode(jedis.hget(bytes(key), bytes(field))));
    }

    @Override
    public Map<String, String> readHash(String key) {
        checkText("HGETALL", key);
        return now("HGETALL", key, () -> StrictUtf8.map(jedis.hgetAll(bytes(key))));
    }

    private void checkText(String command, String key, String... texts) {
        RedisCommandException refusal = invalidText(command, key, new String[] {key}, texts);
        if (refusal != null) {
            throw refusal;
        }
    }

    @Override
    public int attempt() {
        return attempt;
    }
}
