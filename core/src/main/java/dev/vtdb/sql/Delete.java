package dev.vtdb.sql;

import java.util.List;

/**
 * A DELETE from a {@link Table}: SQLAlchemy's {@code table.delete().where(...)}. Without a where
 * clause it deletes every row, as SQL does.
 */
public final class Delete extends BuiltStatement {
    private final Table table;
    private final Condition.Where where = new Condition.Where();

    Delete(Table table) {
        this.table = table;
    }

    /**
     * Adds a WHERE predicate as SQL text with {@code ?} parameters; several are joined by AND.
     *
     * @param predicate predicate text
     * @param params its values
     * @return this builder
     */
    public Delete where(String predicate, Object... params) {
        where.add(Condition.raw(predicate, params));
        return this;
    }

    /**
     * Adds a WHERE condition; several are joined by AND.
     *
     * @param condition the condition
     * @return this builder
     */
    public Delete where(Condition condition) {
        where.add(condition);
        return this;
    }

    @Override
    String render(List<Object> params) {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table.quotedName());
        where.render(table.dialect(), table, sql, params, " WHERE ");
        return sql.toString();
    }
}
