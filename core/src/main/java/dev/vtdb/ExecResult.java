package dev.vtdb;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Outcome of {@code execute}: asyncpg's status string, and aiomysql's {@code ResultProxy} with its
 * {@code rowcount}, {@code lastrowid}, {@code fetchone()}, {@code fetchmany(n)} and {@code
 * fetchall()}.
 *
 * <p>A statement that returns rows (a SELECT, or an INSERT ... RETURNING) keeps them, read in full
 * when the statement ran, like aiomysql's default buffered cursor; the {@code fetch*} methods then
 * hand them out in order, each row once. For a large result read with bounded memory use {@link
 * Session#cursor} or {@link Session#stream} instead. The read position is the only mutable state:
 * share a result between threads only after its rows were fetched.
 */
public final class ExecResult {
    private final long rowCount;
    private final List<Object> generatedKeys;
    private final String status;
    private final List<String> keys;
    private final List<Row> rows;
    private int position;

    /**
     * Makes a result of a statement that returned no rows.
     *
     * @param rowCount rows inserted, updated or deleted
     * @param generatedKeys every generated key of an INSERT, in row order (empty when none)
     * @param status the command status as asyncpg returns it, e.g. {@code INSERT 0 1}
     */
    public ExecResult(long rowCount, List<Object> generatedKeys, String status) {
        this(rowCount, generatedKeys, status, List.of(), List.of());
    }

    /**
     * Makes a result that holds the rows its statement returned.
     *
     * @param rowCount rows inserted, updated, deleted or returned
     * @param generatedKeys every generated key of an INSERT, in row order (empty when none)
     * @param status the command status as asyncpg returns it, e.g. {@code SELECT 2}
     * @param keys the column labels of the returned rows (empty when none were returned)
     * @param rows the returned rows, in order
     */
    public ExecResult(long rowCount, List<Object> generatedKeys, String status, List<String> keys, List<Row> rows) {
        this.rowCount = rowCount;
        this.generatedKeys = List.copyOf(generatedKeys);
        this.status = Objects.requireNonNull(status, "status");
        this.keys = List.copyOf(keys);
        this.rows = List.copyOf(rows);
    }

    /**
     * Returns aiomysql's {@code rowcount}: rows inserted, updated or deleted, or returned by a
     * SELECT.
     *
     * @return the row count
     */
    public long rowCount() {
        return rowCount;
    }

    /**
     * Returns every generated key of an INSERT, in row order.
     *
     * @return the keys (empty when none)
     */
    public List<Object> generatedKeys() {
        return generatedKeys;
    }

    /**
     * Returns the command status as asyncpg returns it, e.g. {@code INSERT 0 1}, {@code UPDATE 3},
     * {@code DELETE 0}, {@code SELECT 2}, {@code CREATE TABLE}.
     *
     * @return the status string
     */
    public String status() {
        return status;
    }

    /**
     * Returns the first generated key of the statement as a number: for a multi-row INSERT on
     * MySQL that is {@code LAST_INSERT_ID()}, like aiomysql's {@code lastrowid}.
     *
     * @return the first generated id, or empty when the statement generated none
     */
    public OptionalLong lastInsertId() {
        if (generatedKeys.isEmpty() || !(generatedKeys.getFirst() instanceof Number n)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n.longValue());
    }

    /**
     * Returns whether the statement returned rows (aiomysql's {@code returns_rows}).
     *
     * @return {@code true} for a SELECT or a statement with a RETURNING clause
     */
    public boolean returnsRows() {
        return !keys.isEmpty();
    }

    /**
     * Returns the column labels of the returned rows (aiomysql's {@code keys()}).
     *
     * @return the labels, empty when the statement returned no rows
     */
    public List<String> keys() {
        return keys;
    }

    /**
     * Returns the next row, like aiomysql's {@code fetchone()}.
     *
     * @return the next row, or empty when every row was fetched (or none was returned)
     */
    public Optional<Row> fetchOne() {
        return position < rows.size() ? Optional.of(rows.get(position++)) : Optional.empty();
    }

    /**
     * Returns up to {@code n} next rows, like aiomysql's {@code fetchmany(n)}.
     *
     * @param n the most rows to return
     * @return the rows, empty when every row was fetched
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public List<Row> fetchMany(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("fetchMany needs n >= 0, was " + n);
        }
        int end = (int) Math.min(rows.size(), (long) position + n);
        List<Row> out = rows.subList(position, end);
        position = end;
        return out;
    }

    /**
     * Returns every row not fetched yet, like aiomysql's {@code fetchall()}.
     *
     * @return the remaining rows
     */
    public List<Row> fetchAll() {
        return fetchMany(rows.size() - position);
    }

    /**
     * Compares the outcome (count, keys, status and rows), not the read position.
     *
     * @param o another object
     * @return whether both describe the same outcome
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ExecResult r
                && rowCount == r.rowCount
                && generatedKeys.equals(r.generatedKeys)
                && status.equals(r.status)
                && keys.equals(r.keys)
                && rows.equals(r.rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rowCount, generatedKeys, status, keys, rows);
    }

    /**
     * Describes the outcome without the rows' values.
     *
     * @return e.g. {@code ExecResult[rowCount=1, generatedKeys=[7], status=INSERT 0 1]}
     */
    @Override
    public String toString() {
        return "ExecResult[rowCount=" + rowCount + ", generatedKeys=" + generatedKeys + ", status=" + status
                + (keys.isEmpty() ? "" : ", keys=" + keys + ", rows=" + rows.size())
                + "]";
    }
}
