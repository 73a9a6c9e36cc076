package dev.vtdb.internal;

import dev.vtdb.Row;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Reads rows of one result set: labels and column readers are resolved once. The commonest column
 * types (the shared {@code INT}, {@code LONG} and {@code TEXT} readers) are called through their
 * constants, so a row's loop compiles to direct driver calls instead of a call through each
 * column's reader object.
 */
final class RowReader {
    private static final byte OTHER = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte TEXT = 3;

    private final Row.Columns columns;
    private final DriverSupport.ColumnReader[] readers;
    private final byte[] kinds;

    RowReader(DriverSupport driver, ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] labels = new String[n];
        readers = new DriverSupport.ColumnReader[n];
        kinds = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = md.getColumnLabel(i + 1);
            readers[i] = driver.reader(md, i + 1);
            kinds[i] = readers[i] == DriverSupport.ColumnReader.INT
                    ? INT
                    : readers[i] == DriverSupport.ColumnReader.LONG
                            ? LONG
                            : readers[i] == DriverSupport.ColumnReader.TEXT ? TEXT : OTHER;
        }
        columns = Row.Columns.of(labels);
    }

    Row read(ResultSet rs) throws SQLException {
        return Row.of(columns, values(rs));
    }

    /**
     * Reads the next rows, as many as fit, in one loop: advancing and decoding compile into one unit
     * (a cursor's read of a million rows spends most of its client time here).
     *
     * @return the rows read; fewer than {@code out.length} only when the result ended
     */
    int readInto(ResultSet rs, Row[] out) throws SQLException {
        int n = 0;
        while (n < out.length && rs.next()) {
            out[n++] = Row.of(columns, values(rs));
        }
        return n;
    }

    private Object[] values(ResultSet rs) throws SQLException {
        byte[] k = kinds;
        Object[] values = new Object[k.length];
        for (int i = 0; i < k.length; i++) {
            int c = i + 1;
            // the shared readers called through their constants: the compiler inlines each one
            values[i] = switch (k[i]) {
                case INT -> DriverSupport.ColumnReader.INT.read(rs, c);
                case LONG -> DriverSupport.ColumnReader.LONG.read(rs, c);
                case TEXT -> DriverSupport.ColumnReader.TEXT.read(rs, c);
                default -> readers[i].read(rs, c);
            };
        }
        return values;
    }

    Row.Columns columns() {
        return columns;
    }
}
