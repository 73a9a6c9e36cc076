package dev.vtdb;

/**
 * Work to run on a connection: the body of {@link Database#withConnection} and {@link
 * Database#inTransaction}. It runs on the worker thread that owns the connection, so it may block.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SessionCallback<T> {
    /**
     * Runs the work.
     *
     * @param session the blocking session bound to the connection
     * @return the result the call's future completes with
     * @throws Exception any failure; it fails the future and rolls back an open transaction
     */
    T apply(Session session) throws Exception;
}
