package dev.vtdb.redis.internal;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.PoolExhaustedException;
import dev.vtdb.PoolStats;
import dev.vtdb.VtdbException;
import dev.vtdb.internal.Secrets;
import dev.vtdb.redis.RedisCommandException;
import java.net.ConnectException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Turns Jedis exceptions into vtdb's, naming command, key and server, never a password. */
final class RedisErrors {
    private RedisErrors() {}

    static String describe(String command, String key) {
        return key == null ? command : command + " key '" + abbreviate(key) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    /**
     * Translates an exception raised while running a command.
     *
     * @param engine the engine, for its name and counters
     * @param command command name
     * @param key first key or {@code null}
     * @param e the exception
     * @return a vtdb exception (the same one when it already is)
     */
    static RuntimeException translate(Engine engine, String command, String key, Throwable e) {
        e = unwrap(e);
        if (e instanceof VtdbException v) {
            return v;
        }
        if (e instanceof CancellationException c) {
            return c;
        }
        if (e instanceof StrictUtf8.Malformed m) {
            return m.toCommandException(engine.name(), command, key);
        }
        if (e instanceof RuntimeException r
                && !(e instanceof JedisException)
                && !(e instanceof UnsupportedOperationException)) {
            return r; // the caller's own exception (a transaction body, a codec): passed through unchanged
        }
        String what = describe(command, key);
        if (e instanceof JedisDataException d) {
            String msg = Secrets.mask(d.getMessage());
            return new RedisCommandException(
                    engine.name() + ": " + what + " failed: " + msg, command, key, errorCode(msg), d);
        }
        if (e instanceof JedisClusterOperationException c) {
            return new RedisCommandException(
                    engine.name() + ": " + what + " refused: " + Secrets.mask(c.getMessage()), command, key, null, c);
        }
        if (e instanceof UnsupportedOperationException u) {
            return new RedisCommandException(
                    engine.name() + ": " + what + " refused: " + Secrets.mask(u.getMessage()), command, key, null, u);
        }
        if (e instanceof JedisConnectionException c) {
            return connectionError(engine, what, c);
        }
        if (e instanceof JedisException j && j.getCause() != null) {
            Throwable cause = j.getCause();
            if (cause instanceof NoSuchElementException) {
                PoolStats stats = engine.stats();
                return new PoolExhaustedException(
                        engine.name() + ": no connection free within "
                                + engine.options().poolMaxWait().toMillis() + "ms for " + what + " (" + stats + ")",
                        stats);
            }
            if (cause instanceof JedisConnectionException c) {
                return connectionError(engine, what, c);
            }
        }
        return new VtdbException(engine.name() + ": " + what + " failed: " + Secrets.mask(String.valueOf(e)), e);
    }

    /**
     * Translates a failure of the first connection made by {@code connect}.
     *
     * @param engine the engine, for its name, address and connect timeout
     * @param e the exception
     * @param elapsed time spent connecting
     * @return a {@link ConnectionLostException} saying why the server could not be reached (refused,
     *     unknown host, no answer within the connect timeout), or the translated server error (a
     *     wrong password)
     */
    static RuntimeException connectFailed(Engine engine, Throwable e, java.time.Duration elapsed) {
        e = unwrap(e);
        Throwable connection = e instanceof JedisConnectionException
                ? e
                : e instanceof JedisException && e.getCause() instanceof JedisConnectionException c ? c : null;
        if (connection == null) {
            return translate(engine, "connect", null, e);
        }
        String why;
        Throwable timeout = find(connection, java.net.SocketTimeoutException.class);
        Throwable unknown = find(connection, java.net.UnknownHostException.class);
        Throwable refused = find(connection, ConnectException.class);
        if (timeout != null) {
            why = "no answer within the connect timeout";
        } else if (unknown != null) {
            why = "unknown host: " + Secrets.mask(unknown.getMessage());
        } else if (refused != null) {
            why = Secrets.mask(refused.getMessage());
        } else {
            why = Secrets.mask(String.valueOf(connection.getMessage()));
        }
        return new ConnectionLostException(
                engine.name() + ": cannot connect to redis at " + engine.address() + " (" + why + "; elapsed "
                        + elapsed.toMillis() + "ms, connectTimeout "
                        + engine.options().connectTimeout().toMillis()
                        + "ms)",
                e);
    }

    private static Throwable find(Throwable e, Class<? extends Throwable> type) {
        for (int depth = 0; e != null && depth < 8; depth++, e = e.getCause()) {
            if (type.isInstance(e)) {
                return e;
            }
            for (Throwable s : e.getSuppressed()) {
                if (type.isInstance(s)) {
                    return s;
                }
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return null;
    }

    static ConnectionLostException connectionError(Engine engine, String what, Throwable e) {
        ConnectException refused = findConnectException(e, 0);
        if (refused != null) {
            return new ConnectionLostException(
                    engine.name() + ": cannot connect to redis at " + engine.address() + " ("
                            + Secrets.mask(refused.getMessage()) + ") for " + what,
                    e);
        }
        return new ConnectionLostException(
                engine.name() + ": connection to " + engine.address() + " lost during " + what + ": "
                        + Secrets.mask(String.valueOf(e.getMessage())),
                e);
    }

    private static ConnectException findConnectException(Throwable e, int depth) {
        if (e == null || depth > 8) {
            return null;
        }
        if (e instanceof ConnectException c) {
            return c;
        }
        for (Throwable s : e.getSuppressed()) {
            ConnectException c = findConnectException(s, depth + 1);
            if (c != null) {
                return c;
            }
        }
        return e.getCause() == e ? null : findConnectException(e.getCause(), depth + 1);
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String errorCode(String message) {
        if (message == null || message.isEmpty()) {
            return null;
        }
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return first.chars().allMatch(c -> Character.isUpperCase(c) || c == '_') ? first : null;
    }
}
