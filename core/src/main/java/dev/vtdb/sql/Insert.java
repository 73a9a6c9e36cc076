package dev.vtdb.sql;

import dev.vtdb.VtdbException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A single- or multi-row INSERT into a {@link Table}: SQLAlchemy's {@code
 * table.insert().values([...])}. Every row must name the same columns; every column must exist in
 * the table (checked before any SQL is sent). Run with {@code db.execute(insert)}: the result's
 * {@code lastInsertId()} is the first generated id and {@code rowCount()} the number of rows.
 */
public final class Insert extends BuiltStatement {
    private final Table table;
    private final List<Map<String, ?>> rows = new ArrayList<>();
    private List<String> columns;
    private List<String> upsertColumns;
    /** The values {@link #onDuplicateKeyUpdate(Map)} binds, or {@code null} to take the inserted ones. */
    private List<Object> upsertValues;

    Insert(Table table) {
        this.table = table;
    }

    /**
     * Adds one row.
     *
     * @param row values by column name
     * @return this builder
     */
    public Insert values(Map<String, ?> row) {
        addRow(row);
        return this;
    }

    /**
     * Adds several rows, rendered as one multi-row INSERT.
     *
     * @param rows values by column name, one map per row, all with the same columns
     * @return this builder
     */
    public Insert values(List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            throw new VtdbException("insert into " + table.name() + " needs at least one row");
        }
        rows.forEach(this::addRow);
        return this;
    }

    /**
     * Turns the insert into an upsert: on a duplicate key the given columns (or, with none, every
     * inserted column outside the primary key) take the inserted values. MySQL renders {@code ON
     * DUPLICATE KEY UPDATE}, PostgreSQL {@code ON CONFLICT (primary key) DO UPDATE}.
     *
     * @param columns the columns to overwrite
     * @return this builder
     */
    public Insert onDuplicateKeyUpdate(String... columns) {
        for (String c : columns) {
            table.column(c);
        }
        this.upsertColumns = List.of(columns);
        this.upsertValues = null;
        return this;
    }

    /**
     * Turns the insert into an upsert that, on a duplicate key, sets columns to the given values
     * (bound, never concatenated): SQLAlchemy's {@code insert(t).values(...)
     * .on_duplicate_key_update(age=18)}. MySQL renders {@code ON DUPLICATE KEY UPDATE `age` = ?},
     * PostgreSQL {@code ON CONFLICT (primary key) DO UPDATE SET "age" = ?}.
     *
     * @param values the columns to set on a duplicate and their values, in the map's order
     * @return this builder
     * @throws VtdbException when a column is not the table's, or no value is given
     */
    public Insert onDuplicateKeyUpdate(Map<String, ?> values) {
        if (values.isEmpty()) {
            throw new VtdbException("upsert into " + table.name() + " needs at least one column to update");
        }
        for (String c : values.keySet()) {
            table.column(c);
        }
        this.upsertColumns = List.copyOf(values.keySet());
        this.upsertValues = new ArrayList<>(values.values());
        return this;
    }

    private void addRow(Map<String, ?> row) {
        Objects.requireNonNull(row, "row");
        if (row.isEmpty()) {
            throw new VtdbException("insert into " + table.name() + ": a row must name at least one column");
        }
        for (String c : row.keySet()) {
            table.column(c);
        }
        if (columns == null) {
            columns = List.copyOf(row.keySet());
        } else if (!(row.size() == columns.size() && row.keySet().containsAll(columns))) {
            throw new VtdbException("insert into " + table.name() + ": every row must name the same columns; first row "
                    + columns + ", row " + (rows.size() + 1) + " " + row.keySet());
        }
        rows.add(Collections.unmodifiableMap(new LinkedHashMap<>(row)));
    }

    @Override
    String render(List<Object> params) {
        if (rows.isEmpty()) {
            throw new VtdbException("insert into " + table.name() + " has no values(...)");
        }
        Dialect d = table.dialect();
        StringBuilder sql =
                new StringBuilder("INSERT INTO ").append(table.quotedName()).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(d.quote(columns.get(i)));
        }
        sql.append(") VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "(" : ", (");
            Map<String, ?> row = rows.get(r);
            for (int i = 0; i < columns.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
                params.add(row.get(columns.get(i)));
            }
            sql.append(')');
        }
        if (upsertValues != null) {
            sql.append(d.upsertValuesClause(table.primaryKey(), upsertColumns));
            params.addAll(upsertValues);
        } else if (upsertColumns != null) {
            List<String> pk = table.primaryKey();
            List<String> update = upsertColumns.isEmpty()
                    ? columns.stream().filter(c -> !pk.contains(c)).toList()
                    : upsertColumns;
            sql.append(d.upsertClause(pk, update));
        }
        return sql.toString();
    }

    /**
     * Returns the number of rows this insert holds.
     *
     * @return row count
     */
    public int rowCount() {
        return rows.size();
    }

    @Override
    public List<Object> suppliedKeys() {
        Optional<Column> key = table.autoIncrementColumn();
        if (key.isEmpty() || upsertColumns != null) {
            return List.of();
        }
        String name = key.get().name();
        List<Object> supplied = new ArrayList<>(rows.size());
        boolean any = false;
        for (Map<String, ?> row : rows) {
            Object v = row.get(name);
            any |= v != null;
            supplied.add(v);
        }
        return any ? Collections.unmodifiableList(supplied) : List.of();
    }

    @Override
    public List<String> generatedKeyColumns() {
        return table.autoIncrementColumn().map(c -> List.of(c.name())).orElse(List.of());
    }
}
