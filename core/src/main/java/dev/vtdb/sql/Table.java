package dev.vtdb.sql;

import dev.vtdb.VtdbException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A table's shape, reflected from the catalog by {@code db.table("girl")} (SQLAlchemy's {@code
 * Table("girl", metadata, autoload=True)}) or declared with {@link #of}. It builds statements
 * whose identifiers are quoted by its dialect and whose column names are checked before any SQL
 * is sent: {@link #insert()}, {@link #update()}, {@link #delete()}, {@link #select(String...)}.
 */
public final class Table {
    private final Dialect dialect;
    private final String name;
    private final Map<String, Column> columns;

    private Table(Dialect dialect, String name, List<Column> columns) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.name = Objects.requireNonNull(name, "name");
        if (columns.isEmpty()) {
            throw new VtdbException("table " + name + " has no columns");
        }
        Map<String, Column> map = new LinkedHashMap<>();
        for (Column c : columns) {
            if (map.put(c.name(), c) != null) {
                throw new VtdbException("table " + name + " declares column " + c.name() + " twice");
            }
        }
        this.columns = map;
    }

    /**
     * Declares a table.
     *
     * @param dialect how to quote identifiers
     * @param name the table name, optionally schema-qualified ({@code public.girl})
     * @param columns its columns in order
     * @return the table
     */
    public static Table of(Dialect dialect, String name, List<Column> columns) {
        return new Table(dialect, name, List.copyOf(columns));
    }

    /**
     * Returns the table name.
     *
     * @return the name as given or reflected
     */
    public String name() {
        return name;
    }

    /**
     * Returns the dialect statements are rendered in.
     *
     * @return the dialect
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Returns the columns in order.
     *
     * @return the columns
     */
    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

    /**
     * Returns the column names in order.
     *
     * @return the names
     */
    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    /**
     * Returns a column by name.
     *
     * @param name the column name
     * @return the column
     * @throws VtdbException naming the table's columns when there is no such column
     */
    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw new VtdbException(
                    "unknown column '" + name + "' for table " + this.name + "; its columns are " + columns.keySet());
        }
        return c;
    }

    /**
     * Returns the primary key's columns.
     *
     * @return primary key column names, empty when there is none
     */
    public List<String> primaryKey() {
        return columns.values().stream()
                .filter(Column::primaryKey)
                .map(Column::name)
                .toList();
    }

    /**
     * Returns the column whose values the server generates (AUTO_INCREMENT, serial, identity).
     *
     * @return the column, if any
     */
    public Optional<Column> autoIncrementColumn() {
        return columns.values().stream().filter(Column::autoIncrement).findFirst();
    }

    /**
     * Starts an INSERT into this table.
     *
     * @return a new insert builder
     */
    public Insert insert() {
        return new Insert(this);
    }

    /**
     * Starts an UPDATE of this table.
     *
     * @return a new update builder
     */
    public Update update() {
        return new Update(this);
    }

    /**
     * Starts a DELETE from this table.
     *
     * @return a new delete builder
     */
    public Delete delete() {
        return new Delete(this);
    }

    /**
     * Starts a SELECT from this table.
     *
     * @param columns column names to select; none selects all columns in table order
     * @return a new select builder
     */
    public Select select(String... columns) {
        return Select.from(this, columns);
    }

    String quotedName() {
        return dialect.quote(name);
    }

    @Override
    public String toString() {
        return "Table[" + name + " " + columns.keySet() + ", primaryKey=" + primaryKey() + ", autoIncrement="
                + autoIncrementColumn().map(Column::name).orElse("none") + "]";
    }
}
