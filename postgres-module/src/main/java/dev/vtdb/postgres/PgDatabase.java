package dev.vtdb.postgres;

import dev.vtdb.BatchResult;
import dev.vtdb.Database;
import dev.vtdb.SessionCallback;
import dev.vtdb.Subscription;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A PostgreSQL {@link Database}: everything of the core API plus PostgreSQL's own features — COPY,
 * LISTEN/NOTIFY and advisory locks. Obtain one from {@link Postgres#connect(String)}.
 *
 * <p>Placeholders are {@code ?} or asyncpg's {@code $1..$n} (a repeated number binds the same
 * value; {@code $n} inside string literals, dollar-quoted bodies, quoted identifiers and comments
 * is left alone). {@link #execute} reports asyncpg's status string ({@code INSERT 0 1}, {@code
 * UPDATE 3}); {@code INSERT ... RETURNING} is read with {@link #fetch} or {@link #fetchRow}.
 *
 * <p>Values: see {@link Postgres} for the type mapping. JSON goes in as a string with a cast
 * ({@code $1::jsonb}) and comes out as its text; a string bound to an enum column needs a cast
 * ({@code $1::mood}) while a Java enum is sent untyped and cast by the server.
 */
public interface PgDatabase extends Database {
    /**
     * Returns the options this database was opened with (password kept, never printed).
     *
     * @return the options
     */
    PgOptions options();

    @Override
    PgDatabase withTimeout(Duration timeout);

    /**
     * Runs a statement once per argument row, all or nothing, like asyncpg's {@code executemany}
     * (0.22+). A plain {@code INSERT INTO t (a, b) VALUES ($1, $2)} (or {@code ?}; no expressions,
     * {@code ON CONFLICT} or {@code RETURNING}) of 2 rows or more whose columns each hold values of
     * one simple type is sent as one statement: {@code COPY t (a, b) FROM STDIN} into a plain or
     * partitioned table without rules (constraints, defaults and triggers apply as for INSERT), or
     * {@code INSERT ... SELECT FROM unnest($1::..[], $2::..[])} into a view or a table with rules,
     * each value converted to its column's type by the server (so {@code '12'} is accepted for an
     * int column). Other statements are sent as a JDBC batch (multi-row rewritten for inserts, its
     * per-row counts then {@link java.sql.Statement#SUCCESS_NO_INFO}) in one transaction. {@link
     * dev.vtdb.Session#executeMany} inside callbacks always uses the batch.
     *
     * @param sql the statement
     * @param rows one argument list per execution
     * @return per-row counts and the total
     */
    @Override
    CompletableFuture<BatchResult> executeMany(String sql, List<? extends List<?>> rows);

    /**
     * Copies records into a table with {@code COPY ... FROM STDIN} (asyncpg's {@code
     * copy_records_to_table}): the fastest way to load rows. When every column is a {@code
     * smallint}, {@code integer}, {@code bigint}, {@code boolean}, {@code text}, {@code varchar} or
     * {@code char}, the rows go in COPY's binary format, as asyncpg sends them (less work for the
     * server; one extra round trip first to read the columns' types); otherwise in COPY text (NULL,
     * strings with tabs, newlines and backslashes, numbers, booleans, java.time values, UUIDs,
     * {@code byte[]}, Durations, enums and one-dimensional lists are supported). Either way a value
     * means what it means in COPY text: {@code "42"} into an {@code integer} column is 42, and a
     * value the server's input function would reject fails with that function's SQLSTATE (in
     * binary it is refused before it is sent).
     *
     * @param table the table, optionally schema-qualified ({@code app.girl}); each part is quoted
     * @param records the rows, each with one value per column; iterated once, on the worker
     *     running the COPY, so a lazy {@code Iterable} (asyncpg's generator of records) streams rows
     *     without holding them all in memory
     * @param columns the columns the values go to, in order
     * @return the number of rows copied; fails with {@link dev.vtdb.QueryException} when the server
     *     rejects a value (nothing is copied then)
     */
    CompletableFuture<Long> copyRecordsToTable(String table, Iterable<? extends List<?>> records, List<String> columns);

    /**
     * Copies data from a stream into a table (asyncpg's {@code copy_to_table}).
     *
     * @param table the table, optionally schema-qualified
     * @param in the data, in the given format; read to its end on the worker, not closed
     * @param format the data format
     * @return the number of rows copied
     */
    CompletableFuture<Long> copyFromStream(String table, InputStream in, CopyFormat format);

    /**
     * Copies a query's result to a stream in COPY text format (asyncpg's {@code
     * copy_from_query}).
     *
     * @param query a SELECT (or {@code VALUES}, {@code TABLE t}) without parameters
     * @param out where the data goes; written on the worker, not closed
     * @return the number of rows copied
     */
    CompletableFuture<Long> copyToStream(String query, OutputStream out);

    /**
     * Copies a query's result to a stream in a given format.
     *
     * @param query a query without parameters
     * @param out where the data goes; not closed
     * @param format the data format
     * @return the number of rows copied
     */
    CompletableFuture<Long> copyToStream(String query, OutputStream out, CopyFormat format);

    /**
     * Reads a query's rows through {@code COPY (query) TO STDOUT (FORMAT binary)} and hands each to
     * a consumer, as the same {@link dev.vtdb.Row} values {@link dev.vtdb.Session#stream} gives: the
     * fastest way to read a large result, and the same read as {@code session.stream(query)} outside
     * a transaction in {@link #withConnection}. A cursor makes the server stop after each fetch until
     * the client asks for the next one; COPY streams the rows, so the server makes the next ones
     * while the client decodes the last (a million rows read 1.0x-1.17x as fast as pgjdbc's own
     * cursor loop on the benchmark machine, where vtdb's cursor reads 0.81x-0.93x;
     * bench/PROFILES.md). When a column's type is not one decoded from COPY's binary format
     * ({@code smallint}, {@code integer}, {@code bigint}, {@code real}, {@code double precision},
     * {@code boolean}, {@code text}, {@code varchar}, {@code char}, {@code uuid}, {@code bytea},
     * {@code date}, {@code timestamp}, {@code timestamptz}), the rows are read through a cursor
     * instead, with the same result.
     *
     * <p>The consumer runs on the worker, one row at a time, while the connection is busy with the
     * COPY: it must not call this database and wait (that could wait for this very connection).
     * An exception it throws stops the COPY and fails the future with that exception. Memory stays
     * bounded: the server waits while the consumer is behind. A deadline or a cancelled future
     * cancels the COPY on the server, and the connection is kept.
     *
     * @param query a query without placeholders ({@code $1}, {@code ?} or {@code :name}; COPY
     *     cannot bind values): a SELECT, {@code VALUES} or {@code TABLE t}; a trailing semicolon is
     *     allowed
     * @param consumer receives each row
     * @return the number of rows read; fails with {@link IllegalArgumentException} when the query
     *     has parameters or returns no rows, with {@link dev.vtdb.QueryException} when the server
     *     rejects it
     */
    CompletableFuture<Long> copyRowsFromQuery(String query, Consumer<? super dev.vtdb.Row> consumer);

    /**
     * Subscribes to a channel with LISTEN on a dedicated connection (not one of the pool's), like
     * asyncpg's {@code add_listener}. The handler runs on the subscription's own virtual thread
     * ({@code vtdb-pg-listen-<channel>}), one message at a time; an exception it throws is logged
     * and the subscription goes on. Closing the database closes its subscriptions.
     *
     * @param channel the channel (case-sensitive, quoted)
     * @param handler receives each notification
     * @return completes with the subscription once LISTEN is active; fails with {@link
     *     dev.vtdb.ConnectionLostException} when the first connection cannot be made
     */
    CompletableFuture<Subscription> listen(String channel, Consumer<Notification> handler);

    /**
     * Subscribes to a channel; when the dedicated connection is lost the subscription reconnects
     * with backoff (100 ms doubling up to 5 s), LISTENs again and then calls {@code onReconnect}:
     * notifications sent while it was disconnected are lost, so re-read whatever state they
     * announce.
     *
     * @param channel the channel
     * @param handler receives each notification
     * @param onReconnect called on the subscription's thread after each reconnect
     * @return completes with the subscription once LISTEN is active
     */
    CompletableFuture<Subscription> listen(String channel, Consumer<Notification> handler, Runnable onReconnect);

    /**
     * Sends a notification ({@code SELECT pg_notify(channel, payload)}).
     *
     * @param channel the channel (case-sensitive)
     * @param payload the payload, or {@code null} for none
     * @return completes when sent (delivered at commit when called inside a transaction)
     */
    CompletableFuture<Void> notify(String channel, String payload);

    /**
     * Runs work on one connection while holding a session-level advisory lock: {@code
     * pg_advisory_lock(key)} before, {@code pg_advisory_unlock(key)} after, on the same connection,
     * even when the work fails. Waiting for the lock counts against the call's deadline.
     *
     * @param key the lock key
     * @param callback the work, run on the worker owning the connection
     * @param <T> result type
     * @return the callback's result
     */
    <T> CompletableFuture<T> withAdvisoryLock(long key, SessionCallback<T> callback);
}
