package dev.vtdb.sql;

import dev.vtdb.VtdbException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An UPDATE of a {@link Table}: SQLAlchemy's {@code table.update().values(...).where(...)}.
 * Columns are checked against the table and values are bound.
 */
public final class Update extends BuiltStatement {
    private final Table table;
    private final Map<String, Object> assignments = new LinkedHashMap<>();
    private final Condition.Where where = new Condition.Where();

    Update(Table table) {
        this.table = table;
    }

    /**
     * Sets a column to a value.
     *
     * @param column the column
     * @param value the new value, may be {@code null}
     * @return this builder
     */
    public Update set(String column, Object value) {
        table.column(column);
        assignments.put(column, value);
        return this;
    }

    /**
     * Sets several columns.
     *
     * @param values new values by column
     * @return this builder
     */
    public Update set(Map<String, ?> values) {
        values.forEach(this::set);
        return this;
    }

    /**
     * Adds a WHERE predicate as SQL text with {@code ?} parameters; several are joined by AND.
     *
     * @param predicate predicate text
     * @param params its values
     * @return this builder
     */
    public Update where(String predicate, Object... params) {
        where.add(Condition.raw(predicate, params));
        return this;
    }

    /**
     * Adds a WHERE condition; several are joined by AND.
     *
     * @param condition the condition
     * @return this builder
     */
    public Update where(Condition condition) {
        where.add(condition);
        return this;
    }

    @Override
    String render(List<Object> params) {
        if (assignments.isEmpty()) {
            throw new VtdbException("update of " + table.name() + " has no set(...)");
        }
        Dialect d = table.dialect();
        StringBuilder sql =
                new StringBuilder("UPDATE ").append(table.quotedName()).append(" SET ");
        boolean first = true;
        for (Map.Entry<String, Object> e : assignments.entrySet()) {
            sql.append(first ? "" : ", ").append(d.quote(e.getKey())).append(" = ?");
            params.add(e.getValue());
            first = false;
        }
        where.render(d, table, sql, params, " WHERE ");
        return sql.toString();
    }
}
