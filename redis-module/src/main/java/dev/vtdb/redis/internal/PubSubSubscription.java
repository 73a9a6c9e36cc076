package dev.vtdb.redis.internal;

import dev.vtdb.Subscription;
import dev.vtdb.redis.RedisMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A SUBSCRIBE or PSUBSCRIBE on a dedicated pooled connection, run by its own virtual thread
 * ({@code vtdb-redis-sub-N}); after a dropped connection it reconnects with a capped backoff,
 * resubscribes and calls {@code onReconnect}.
 */
final class PubSubSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubSubscription.class);
    private static final long MAX_BACKOFF_MILLIS = 1_000;
    /**
     * Every subscription of this JVM from {@link #start()} until its thread ended (connection
     * given back): what the integration tests' leak check reads.
     */
    private static final Set<PubSubSubscription> OPEN = ConcurrentHashMap.newKeySet();

    private final Engine engine;
    private final List<String> channels;
    private final boolean patterns;
    private final Consumer<RedisMessage> handler;
    private final Runnable onReconnect;
    private final CompletableFuture<Subscription> ready = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean closed;
    private volatile JedisPubSub current;
    private Thread thread;

    PubSubSubscription(
            Engine engine,
            List<String> channels,
            boolean patterns,
            Consumer<RedisMessage> handler,
            Runnable onReconnect) {
        this.engine = engine;
        this.channels = channels;
        this.patterns = patterns;
        this.handler = handler;
        this.onReconnect = onReconnect;
    }

    CompletableFuture<Subscription> start() {
        OPEN.add(this);
        engine.register(this);
        try {
            thread = engine.startThread("vtdb-redis-sub", this::run);
        } catch (RuntimeException | Error e) {
            engine.unregister(this);
            OPEN.remove(this);
            throw e;
        }
        return ready;
    }

    /**
     * Returns the subscriptions of this JVM whose thread still runs (not closed, or closing), for
     * leak checks.
     *
     * @return a snapshot
     */
    static Set<PubSubSubscription> open() {
        return Set.copyOf(OPEN);
    }

    private String what() {
        return (patterns ? "PSUBSCRIBE " : "SUBSCRIBE ") + channels;
    }

    private void run() {
        try {
            subscribeUntilClosed();
        } finally {
            engine.unregister(this);
            OPEN.remove(this);
            if (!ready.isDone()) {
                ready.completeExceptionally(new dev.vtdb.DatabaseClosedException(
                        engine.name() + ": " + what() + " was closed before it was confirmed"));
            }
        }
    }

    private void subscribeUntilClosed() {
        boolean everSubscribed = false;
        long backoff = 50;
        while (!closed) {
            Listener listener = new Listener(everSubscribed);
            try (Connection connection = engine.borrowForSubscription(null)) {
                current = listener;
                Jedis jedis = new Jedis(connection);
                if (patterns) {
                    jedis.psubscribe(listener, channels.toArray(String[]::new));
                } else {
                    jedis.subscribe(listener, channels.toArray(String[]::new));
                }
                // returns after all channels were unsubscribed: closed
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                if (!everSubscribed && !listener.confirmed) {
                    ready.completeExceptionally(RedisErrors.translate(engine, what(), null, e));
                    break;
                }
                LOG.warn("{}: {} lost its connection, resubscribing: {}", engine.name(), what(), e.toString());
            } finally {
                current = null;
            }
            everSubscribed |= listener.confirmed;
            if (listener.confirmed) {
                backoff = 50;
            }
            if (!closed) {
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void pause(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!closed && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        JedisPubSub l = current;
        if (l != null && l.isSubscribed()) {
            try {
                if (patterns) {
                    l.punsubscribe();
                } else {
                    l.unsubscribe();
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: unsubscribing failed", engine.name(), e);
            }
        }
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                if (!t.join(Duration.ofSeconds(2))) {
                    LOG.warn("{}: {} did not stop within 2s", engine.name(), what());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RedisSubscription[" + what() + (closed ? ", closed" : ", active") + "]";
    }

    private final class Listener extends JedisPubSub {
        private final boolean reconnect;
        volatile boolean confirmed;

        Listener(boolean reconnect) {
            this.reconnect = reconnect;
        }

        private void confirmed(int count) {
            if (count < channels.size() || confirmed) {
                return;
            }
            confirmed = true;
            if (closed) {
                if (patterns) {
                    punsubscribe();
                } else {
                    unsubscribe();
                }
                return;
            }
            if (!reconnect) {
                ready.complete(PubSubSubscription.this);
            } else if (onReconnect != null) {
                try {
                    onReconnect.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: onReconnect callback of {} failed", engine.name(), what(), e);
                }
            }
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            confirmed(subscribedChannels);
        }

        @Override
        public void onPSubscribe(String pattern, int subscribedChannels) {
            confirmed(subscribedChannels);
        }

        @Override
        public void onMessage(String channel, String message) {
            deliver(new RedisMessage(null, channel, message));
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            deliver(new RedisMessage(pattern, channel, message));
        }

        private void deliver(RedisMessage m) {
            try {
                handler.accept(m);
            } catch (RuntimeException e) {
                LOG.warn("{}: handler of {} failed on a message from {}", engine.name(), what(), m.channel(), e);
            }
        }
    }
}
