package dev.vtdb;

import dev.vtdb.sql.SqlStatement;
import dev.vtdb.sql.Table;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An async SQL database: asyncpg's connection pool, aiomysql.sa's engine.
 *
 * <p>Every method returns at once with a {@link CompletableFuture}; no method blocks the caller's
 * thread. A call is queued (bounded, FIFO) and run by one of the pool's worker threads, each of
 * which owns one pooled connection: virtual threads, but for the first, a platform thread that is
 * woken first when it is idle, so that a lone caller's call costs one thread wake-up, as a blocking
 * driver call on the caller's own thread would. When the queue is full the call fails at once with
 * {@link PoolExhaustedException}.
 *
 * <p><b>Threads.</b> Futures complete on the worker that ran the call, so a {@code thenApply}
 * callback runs there and holds up that worker's connection: keep such callbacks short, use the
 * {@code *Async} variants with your own executor for heavy work, or set a callback executor in
 * the module's options. {@link #withConnection} and {@link #inTransaction} callbacks run on the
 * worker owning the connection (blocking is fine); a call on this database made
 * from inside such a callback joins its connection and transaction instead of queueing.
 *
 * <p><b>Deadlines.</b> Each call has one deadline covering queueing, execution and fetching: the
 * default timeout of the options, shortened by {@link #withTimeout(Duration)} or an enclosing
 * {@link Scope}. When it passes the statement is cancelled on the server, an open transaction is
 * rolled back, the connection is kept, and the future fails with {@link
 * DeadlineExceededException}. {@code future.cancel(true)} does the same and completes the future
 * as cancelled; a call still queued is dropped without touching the server. The deadline reaches the
 * driver as its cancel ({@code Statement.cancel()}: PostgreSQL's cancel request, MySQL's {@code KILL
 * QUERY}), sent from a watcher thread when the deadline passes and repeated until the statement
 * stops, rather than as {@code setQueryTimeout} (both drivers would start a timer task per statement,
 * costly at tens of thousands of calls a second) or a per-call {@code statement_timeout} (a round
 * trip per call). When the statement has not stopped 2 s after its cancel (a cancel that cannot
 * reach the server), its connection is closed and replaced; the server ends the statement when it
 * next writes to that connection.
 *
 * <p><b>Placeholders.</b> {@code ?}, or on PostgreSQL asyncpg's {@code $1..$n}, or {@code :name}
 * with a {@code Map}; one style per statement. PostgreSQL's {@code ?}, {@code ?|} and {@code ?&}
 * operators (jsonb): in a {@code $n} statement a bare {@code ?} is the operator; in a {@code ?} or
 * {@code :name} statement write it {@code ??}.
 */
public interface Database extends AutoCloseable {

    /**
     * Runs a query and returns every row.
     *
     * @param sql the statement, with {@code ?} (or, on PostgreSQL, {@code $n}) placeholders
     * @param args positional arguments
     * @return the rows
     */
    CompletableFuture<List<Row>> fetch(String sql, Object... args);

    /**
     * Runs a query with named {@code :name} parameters and returns every row.
     *
     * @param sql the statement
     * @param params values by name
     * @return the rows
     */
    CompletableFuture<List<Row>> fetch(String sql, Map<String, ?> params);

    /**
     * Runs a built statement and returns every row.
     *
     * @param statement a {@link dev.vtdb.sql.Select} or a table's select
     * @return the rows
     */
    CompletableFuture<List<Row>> fetch(SqlStatement statement);

    /**
     * Runs a query and returns its first row.
     *
     * @param sql the statement
     * @param args positional arguments
     * @return the first row, or empty
     */
    CompletableFuture<Optional<Row>> fetchRow(String sql, Object... args);

    /**
     * Runs a query and returns the first column of its first row.
     *
     * @param sql the statement
     * @param type the wanted type
     * @param args positional arguments
     * @param <T> the wanted type
     * @return the value, or {@code null} when no row or NULL
     */
    <T> CompletableFuture<T> fetchValue(String sql, Class<T> type, Object... args);

    /**
     * Runs a query and maps its rows to objects with Jdbi (records, beans, single columns).
     *
     * @param type the target type
     * @param sql the statement
     * @param args positional arguments
     * @param <T> the target type
     * @return the mapped rows
     */
    <T> CompletableFuture<List<T>> fetchAs(Class<T> type, String sql, Object... args);

    /**
     * Runs a statement that returns no rows.
     *
     * @param sql the statement
     * @param args positional arguments
     * @return row count, generated keys, status
     */
    CompletableFuture<ExecResult> execute(String sql, Object... args);

    /**
     * Runs a statement with named {@code :name} parameters.
     *
     * @param sql the statement
     * @param params values by name
     * @return row count, generated keys, status
     */
    CompletableFuture<ExecResult> execute(String sql, Map<String, ?> params);

    /**
     * Runs a built insert, update or delete.
     *
     * @param statement the statement
     * @return row count, generated keys, status
     */
    CompletableFuture<ExecResult> execute(SqlStatement statement);

    /**
     * Runs a statement once per argument row as one batch in one transaction: all rows or none.
     *
     * @param sql the statement
     * @param rows one argument list per execution
     * @return per-row counts
     */
    CompletableFuture<BatchResult> executeMany(String sql, List<? extends List<?>> rows);

    /**
     * Runs blocking work on one connection (aiomysql.sa's {@code engine.acquire()}).
     *
     * @param callback the work, run on the worker owning the connection
     * @param <T> result type
     * @return the callback's result
     */
    <T> CompletableFuture<T> withConnection(SessionCallback<T> callback);

    /**
     * Runs blocking work in a transaction with default options: commit on return, rollback on
     * any exception, cancellation or deadline.
     *
     * @param callback the work
     * @param <T> result type
     * @return the callback's result
     */
    <T> CompletableFuture<T> inTransaction(SessionCallback<T> callback);

    /**
     * Runs blocking work in a transaction with the given isolation, read-only flag and retries.
     *
     * @param options transaction options
     * @param callback the work; re-run on serialization failure or deadlock when retries allow
     * @param <T> result type
     * @return the callback's result
     */
    <T> CompletableFuture<T> inTransaction(TxOptions options, SessionCallback<T> callback);

    /**
     * Reflects a table from the catalog: columns, types, nullability, defaults, primary key and
     * auto-increment column (SQLAlchemy's {@code Table(name, MetaData(), autoload=True)}).
     *
     * @param name the table name
     * @return the table; fails with {@link QueryException} when there is no such table
     */
    CompletableFuture<Table> table(String name);

    /**
     * Returns a view of this database whose calls use another timeout; the pool is shared.
     *
     * @param timeout positive timeout for each call made through the view
     * @return the view
     */
    Database withTimeout(Duration timeout);

    /**
     * Returns the pool's counters.
     *
     * @return queued, running, workers, bound and connection counts
     */
    PoolStats stats();

    /**
     * Waits until no call is queued or running, up to a bound.
     *
     * @param timeout how long to wait
     * @return {@code true} when idle, {@code false} when the time ran out
     */
    boolean awaitIdle(Duration timeout);

    /**
     * Returns this database's name, as used in thread names and messages ({@code vtdb-pg}).
     *
     * @return the name
     */
    String name();

    /**
     * Starts a graceful close: new calls fail with {@link DatabaseClosedException}, queued and
     * running calls get up to the close timeout to finish, then are cancelled; connections close.
     *
     * @return completes when everything is closed
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Returns a future that completes once a close has finished (aiomysql's {@code
     * wait_closed()}).
     *
     * @return completes when closed
     */
    CompletableFuture<Void> awaitClosed();

    /** Closes gracefully and waits for it ({@link #closeAsync()}). */
    @Override
    void close();
}
