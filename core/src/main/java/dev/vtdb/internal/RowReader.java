package dev.vtdb.internal;

import dev.vtdb.Row;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** Reads rows of one result set: labels and column readers are resolved once. */
final class RowReader {
    private final Row.Columns columns;
    private final DriverSupport.ColumnReader[] readers;

    RowReader(DriverSupport driver, ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] labels = new String[n];
        readers = new DriverSupport.ColumnReader[n];
        for (int i = 0; i < n; i++) {
            labels[i] = md.getColumnLabel(i + 1);
            readers[i] = driver.reader(md, i + 1);
        }
        columns = Row.Columns.of(labels);
    }

    Row read(ResultSet rs) throws SQLException {
        Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = readers[i].read(rs, i + 1);
        }
        return Row.of(columns, values);
    }

    Row.Columns columns() {
        return columns;
    }
}
