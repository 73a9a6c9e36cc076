package dev.vtdb;

import java.util.List;
import java.util.Optional;

/**
 * Rows of an open query read a chunk at a time; aiomysql's {@code ResultProxy} ({@code
 * fetchone}, {@code fetchmany}, {@code fetchall}, {@code rowcount}). Not thread-safe; close it.
 */
public interface Cursor extends AutoCloseable {
    /**
     * Reads the next row.
     *
     * @return the next row, or empty at the end
     */
    Optional<Row> fetchOne();

    /**
     * Reads up to {@code n} rows.
     *
     * @param n the most rows to read, at least 1
     * @return the rows read, empty at the end
     */
    List<Row> fetchMany(int n);

    /**
     * Reads every remaining row.
     *
     * @return the remaining rows
     */
    List<Row> fetchAll();

    /**
     * Returns how many rows were read so far.
     *
     * @return rows read through this cursor
     */
    long rowCount();

    /**
     * Returns the labels of the result's columns.
     *
     * @return the column labels
     */
    List<String> keys();

    /** Closes the cursor and its statement; closing twice is harmless. */
    @Override
    void close();
}
