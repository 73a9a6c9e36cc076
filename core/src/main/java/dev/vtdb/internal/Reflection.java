package dev.vtdb.internal;

import dev.vtdb.QueryException;
import dev.vtdb.sql.Column;
import dev.vtdb.sql.Table;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reflects a table through JDBC's {@link DatabaseMetaData}, which both drivers maintain. */
final class Reflection {
    private Reflection() {}

    static Table reflect(Connection connection, DriverSupport driver, String name) throws SQLException {
        String catalog = connection.getCatalog();
        String schema;
        String table = name;
        int dot = name.indexOf('.');
        if (dot <= 0) {
            schema = driver.tableSchema(connection, name);
        } else {
            schema = connection.getSchema();
            String qualifier = name.substring(0, dot);
            table = name.substring(dot + 1);
            if (driver.dialect() == dev.vtdb.sql.Dialect.MYSQL) {
                catalog = qualifier;
            } else {
                schema = qualifier;
            }
        }
        DatabaseMetaData md = connection.getMetaData();
        // getColumns takes a LIKE pattern: escape _ and % so "girl_1" cannot match "girlx1"
        String escape = md.getSearchStringEscape();
        String pattern = escape == null || escape.isEmpty()
                ? table
                : table.replace(escape, escape + escape)
                        .replace("_", escape + "_")
                        .replace("%", escape + "%");
        Set<String> pk = new HashSet<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                pk.add(rs.getString("COLUMN_NAME"));
            }
        }
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = md.getColumns(catalog, schema, pattern, null)) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                columns.add(new Column(
                        column,
                        rs.getString("TYPE_NAME"),
                        rs.getInt("DATA_TYPE"),
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                        rs.getString("COLUMN_DEF"),
                        pk.contains(column),
                        "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"))));
            }
        }
        if (columns.isEmpty()) {
            throw new QueryException(
                    "no table '" + name + "' found" + (schema != null ? " in schema " + schema : "")
                            + (catalog != null && driver.dialect() == dev.vtdb.sql.Dialect.MYSQL
                                    ? " in database " + catalog
                                    : ""),
                    // each server's own code for an unknown table: PostgreSQL's undefined_table,
                    // MySQL's ER_NO_SUCH_TABLE (1146, SQLSTATE 42S02)
                    driver.dialect() == dev.vtdb.sql.Dialect.MYSQL ? "42S02" : "42P01",
                    driver.dialect() == dev.vtdb.sql.Dialect.MYSQL ? 1146 : 0,
                    null,
                    null);
        }
        return Table.of(driver.dialect(), name, columns);
    }
}
