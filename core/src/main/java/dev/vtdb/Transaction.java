package dev.vtdb;

/**
 * An explicit transaction begun with {@link Session#begin()}, for try-with-resources in the style
 * of aiomysql's {@code async with conn.begin()}: {@link #close()} rolls back unless {@link
 * #commit()} ran.
 */
public interface Transaction extends AutoCloseable {
    /**
     * Commits (or releases the savepoint, when nested).
     *
     * @throws CommitOutcomeUnknownException when the connection broke during COMMIT
     */
    void commit();

    /** Rolls back (to the savepoint, when nested). */
    void rollback();

    /** Rolls back unless committed or rolled back already. */
    @Override
    void close();
}
