package dev.vtdb;

import java.util.List;
import java.util.OptionalLong;

/**
 * Outcome of a statement that returns no rows: asyncpg's status string, aiomysql's {@code
 * rowcount} and {@code lastrowid}.
 *
 * @param rowCount rows inserted, updated or deleted (or selected, for a SELECT run by execute)
 * @param generatedKeys every generated key of an INSERT, in row order (empty when none)
 * @param status the command status as asyncpg returns it, e.g. {@code INSERT 0 1}, {@code UPDATE
 *     3}, {@code DELETE 0}, {@code CREATE TABLE}
 */
public record ExecResult(long rowCount, List<Object> generatedKeys, String status) {

    /** Validates and copies the keys. */
    public ExecResult {
        generatedKeys = List.copyOf(generatedKeys);
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
}
