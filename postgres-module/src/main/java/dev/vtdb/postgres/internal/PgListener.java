package dev.vtdb.postgres.internal;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.Subscription;
import dev.vtdb.internal.Secrets;
import dev.vtdb.postgres.Notification;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LISTEN on a dedicated connection, polled by a named virtual thread; reconnects with backoff
 * after a connection loss, LISTENs again and tells the user.
 */
final class PgListener implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final int POLL_MILLIS = 500;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final String url;
    private final Properties properties;
    private final String channel;
    private final Consumer<Notification> handler;
    private final Runnable onReconnect;
    private final String name;
    private final CompletableFuture<Subscription> ready = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedSignal = lock.newCondition();
    private volatile boolean active = true;
    private volatile Connection connection;
    private Thread thread;

    PgListener(
            String url,
            Properties properties,
            String channel,
            Consumer<Notification> handler,
            Runnable onReconnect,
            String poolName) {
        this.url = url;
        this.properties = properties;
        this.channel = channel;
        this.handler = handler;
        this.onReconnect = onReconnect;
        this.name = poolName + "-listen-" + channel;
    }

    CompletableFuture<Subscription> start() {
        thread = Thread.ofVirtual().name(name).start(this::loop);
        return ready;
    }

    private void loop() {
        long backoff = MIN_BACKOFF_MS;
        boolean first = true;
        try {
            while (active) {
                Connection c = connection;
                if (c == null) {
                    try {
                        c = connect();
                        connection = c;
                        if (!active) {
                            break;
                        }
                        backoff = MIN_BACKOFF_MS;
                        if (first) {
                            first = false;
                            ready.complete(this);
                        } else {
                            LOG.info("{}: reconnected and listening again", name);
                            callReconnect();
                        }
                    } catch (SQLException | RuntimeException e) {
                        if (first) {
                            active = false;
                            ready.completeExceptionally(new ConnectionLostException(
                                    name + " could not connect to LISTEN: "
                                            + Secrets.mask(String.valueOf(e.getMessage())),
                                    e));
                            return;
                        }
                        LOG.warn(
                                "{}: reconnect failed ({}); next try in {}ms",
                                name,
                                Secrets.mask(String.valueOf(e.getMessage())),
                                backoff);
                        pause(backoff);
                        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                        continue;
                    }
                }
                try {
                    PGNotification[] ns = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                    if (ns != null) {
                        for (PGNotification n : ns) {
                            deliver(n);
                        }
                    }
                } catch (SQLException e) {
                    if (!active) {
                        break;
                    }
                    LOG.warn(
                            "{}: connection lost ({}); reconnecting",
                            name,
                            Secrets.mask(String.valueOf(e.getMessage())));
                    closeQuietly(c);
                    connection = null;
                }
            }
        } finally {
            Connection c = connection;
            connection = null;
            closeQuietly(c);
            if (!ready.isDone()) {
                ready.completeExceptionally(new ConnectionLostException(name + " was closed before it listened", null));
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection c = new org.postgresql.Driver().connect(url, properties);
        if (c == null) {
            throw new SQLException("pgjdbc does not accept the URL " + url);
        }
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + PgCopy.quote(channel));
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private void deliver(PGNotification n) {
        try {
            handler.accept(new Notification(n.getName(), n.getParameter(), n.getPID()));
        } catch (RuntimeException e) {
            LOG.warn("{}: the notification handler failed; the subscription goes on", name, e);
        }
    }

    private void callReconnect() {
        if (onReconnect == null) {
            return;
        }
        try {
            onReconnect.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: the onReconnect callback failed", name, e);
        }
    }

    private void pause(long millis) {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(millis);
            while (active && left > 0) {
                left = closedSignal.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void close() {
        if (!active) {
            return;
        }
        active = false;
        lock.lock();
        try {
            closedSignal.signalAll();
        } finally {
            lock.unlock();
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("{}: abort failed", name, e);
            }
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                if (!t.join(java.time.Duration.ofSeconds(5))) {
                    LOG.warn("{} did not stop within 5s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.trace("close failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + name + (active ? ", active" : ", closed") + "]";
    }
}
