package dev.vtdb;

import dev.vtdb.sql.SqlStatement;
import dev.vtdb.sql.Table;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The blocking twin of {@link Database}, bound to one connection: what a {@link SessionCallback}
 * receives inside {@link Database#withConnection} or {@link Database#inTransaction}.
 *
 * <p>Placeholders are {@code ?}; PostgreSQL also takes asyncpg's {@code $1..$n} (a repeated number
 * binds the same value); named {@code :name} placeholders take a {@code Map}. A session is used by
 * the thread running the callback only; it is not thread-safe and is invalid once the callback
 * returns. Every method throws {@link VtdbException} subclasses on failure.
 */
public interface Session {

    /**
     * Runs a query and returns every row (asyncpg {@code fetch}, aiomysql {@code fetchall}).
     *
     * @param sql the statement
     * @param args positional arguments
     * @return the rows, possibly empty
     */
    List<Row> fetch(String sql, Object... args);

    /**
     * Runs a query with named {@code :name} parameters.
     *
     * @param sql the statement
     * @param params values by name
     * @return the rows, possibly empty
     */
    List<Row> fetch(String sql, Map<String, ?> params);

    /**
     * Runs a built statement (a {@link dev.vtdb.sql.Select}, for instance) and returns its rows.
     *
     * @param statement the statement
     * @return the rows
     */
    List<Row> fetch(SqlStatement statement);

    /**
     * Runs a query and returns its first row (asyncpg {@code fetchrow}, aiomysql {@code fetchone}).
     *
     * @param sql the statement
     * @param args positional arguments
     * @return the first row, or empty when there is none
     */
    Optional<Row> fetchRow(String sql, Object... args);

    /**
     * Runs a query and returns the first column of the first row (asyncpg {@code fetchval}).
     *
     * @param sql the statement
     * @param type the wanted Java type, converted as {@link Row#get(int, Class)}
     * @param args positional arguments
     * @param <T> the wanted type
     * @return the value, or {@code null} when there is no row or the value is NULL
     */
    <T> T fetchValue(String sql, Class<T> type, Object... args);

    /**
     * Runs a query and maps each row with Jdbi: records and constructors by parameter name, beans
     * by property, single-column results by Jdbi's column mappers.
     *
     * @param type the target type
     * @param sql the statement
     * @param args positional arguments
     * @param <T> the target type
     * @return mapped rows
     */
    <T> List<T> fetchAs(Class<T> type, String sql, Object... args);

    /**
     * Runs a statement that returns no rows.
     *
     * @param sql the statement
     * @param args positional arguments
     * @return row count, generated keys and status
     */
    ExecResult execute(String sql, Object... args);

    /**
     * Runs a statement with named {@code :name} parameters.
     *
     * @param sql the statement
     * @param params values by name
     * @return row count, generated keys and status
     */
    ExecResult execute(String sql, Map<String, ?> params);

    /**
     * Runs a built statement (insert, update, delete of a {@link Table}).
     *
     * @param statement the statement
     * @return row count, generated keys and status
     */
    ExecResult execute(SqlStatement statement);

    /**
     * Runs one statement once per argument row, as one batch, all or nothing: when not already in
     * a transaction it runs in one of its own.
     *
     * @param sql the statement
     * @param rows one argument list per execution
     * @return per-row counts
     */
    BatchResult executeMany(String sql, List<? extends List<?>> rows);

    /**
     * Opens a cursor over a query: rows are read in chunks with {@link Cursor#fetchMany(int)} as
     * aiomysql's {@code ResultProxy}. Close it (try-with-resources); it is closed when the
     * callback returns at the latest.
     *
     * <p>Where the database needs a transaction for a cursor (PostgreSQL) and none is open, the
     * cursor opens one of its own and commits it when closed, so that statements run on this
     * session meanwhile are kept as they would be in auto-commit (they become visible to other
     * connections when the cursor closes). {@link #begin} and {@link #inTransaction(SessionCallback)}
     * are refused until then: ending either transaction would end the other.
     *
     * @param sql the statement
     * @param args positional arguments
     * @return an open cursor
     */
    Cursor cursor(String sql, Object... args);

    /**
     * Streams the rows of a query in bounded memory, whatever its size. Close the stream
     * (try-with-resources); it is closed when the callback returns at the latest.
     *
     * <p>It reads a server-side cursor, as {@link #cursor} does, with one exception: on PostgreSQL,
     * outside a transaction and without arguments, it reads {@code COPY (query) TO STDOUT (FORMAT
     * binary)} when every column is of a type decoded from that format (integers, floats, boolean,
     * text, uuid, bytea, date, timestamp, timestamptz), with the same row values. The server then
     * sends rows without waiting for the client to ask for each chunk (faster for large results),
     * and the query is described first (one round trip more than a cursor). Another statement run
     * on this session while such a stream is open still runs at once, in auto-commit: the rows not
     * read yet are first read into a temporary file (deleted when the stream closes) and the stream
     * goes on from there. Closing it early stops the COPY on the server; the connection is kept.
     *
     * @param sql the statement
     * @param args positional arguments
     * @return a lazy stream of rows
     */
    Stream<Row> stream(String sql, Object... args);

    /**
     * Begins a transaction explicitly (aiomysql's {@code conn.begin()}); close without commit rolls
     * back. Inside a transaction this opens a savepoint instead.
     *
     * @return the open transaction
     */
    Transaction begin();

    /**
     * Runs the callback in a transaction on this session; nested in a transaction it runs under a
     * savepoint, rolled back to on failure.
     *
     * @param callback the work
     * @param <T> result type
     * @return the callback's result
     */
    <T> T inTransaction(SessionCallback<T> callback);

    /**
     * Tells whether a transaction is open on this session.
     *
     * @return {@code true} inside a transaction
     */
    boolean inTransaction();

    /**
     * Reflects a table from the catalog (SQLAlchemy's {@code Table(name, autoload=True)}).
     *
     * @param name the table name, optionally schema-qualified
     * @return the table
     */
    Table table(String name);

    /**
     * Returns the JDBC connection behind this session, for driver-specific work (pgjdbc's
     * CopyManager, for instance). Do not close it, change its auto-commit or keep it after the
     * callback returns.
     *
     * @return the live connection
     */
    Connection connection();
}
