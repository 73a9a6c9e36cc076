package dev.vtdb.sql;

import dev.vtdb.VtdbException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SELECT statement built from text fragments (SQLAlchemy's {@code Select([text("id, name")],
 * whereclause=text("id != 1"), from_obj=text("girl"))}) or from a {@link Table}.
 *
 * <pre>{@code
 * String sql = Select.columns("id, name, place").from("girl").where("id != 1").toString();
 * List<Row> rows = db.fetch(Select.columns("*").from("girl").where("age > ?", 17)).join();
 * }</pre>
 *
 * Text fragments are used as written (they are code, not data); values go through {@code ?}
 * parameters. {@code toString()} renders the SQL as SQLAlchemy does, one clause per line. A
 * builder is not thread-safe; build it, then run it.
 */
public final class Select extends BuiltStatement {
    private final Table table;
    private final String columnsText;
    private String fromText;
    private final Condition.Where where = new Condition.Where();
    private String orderBy;
    private Long limit;
    private Long offset;

    private Select(Table table, String columnsText, String fromText) {
        this.table = table;
        this.columnsText = columnsText;
        this.fromText = fromText;
    }

    /**
     * Starts a SELECT of text columns, e.g. {@code "id, name, place"} or {@code "*"}.
     *
     * @param columns the select list as SQL text
     * @return the builder
     */
    public static Select columns(String columns) {
        if (columns == null || columns.isBlank()) {
            throw new VtdbException("select list must not be empty");
        }
        return new Select(null, columns, null);
    }

    static Select from(Table table, String... columns) {
        StringBuilder list = new StringBuilder();
        if (columns.length == 0) {
            for (String c : table.columnNames()) {
                list.append(list.isEmpty() ? "" : ", ").append(table.dialect().quote(c));
            }
        } else {
            for (String c : columns) {
                table.column(c);
                list.append(list.isEmpty() ? "" : ", ").append(table.dialect().quote(c));
            }
        }
        return new Select(table, list.toString(), table.quotedName());
    }

    /**
     * Sets the FROM clause as SQL text.
     *
     * @param from the from clause, e.g. {@code "girl"} or a join
     * @return this builder
     */
    public Select from(String from) {
        if (table != null) {
            throw new VtdbException("this select was built from table " + table.name() + "; its FROM is fixed");
        }
        this.fromText = Objects.requireNonNull(from, "from");
        return this;
    }

    /**
     * Adds a WHERE predicate as SQL text with {@code ?} parameters; several are joined by AND.
     *
     * @param predicate the predicate text
     * @param params values for its placeholders
     * @return this builder
     */
    public Select where(String predicate, Object... params) {
        where.add(Condition.raw(predicate, params));
        return this;
    }

    /**
     * Adds a WHERE condition; several are joined by AND.
     *
     * @param condition the condition
     * @return this builder
     */
    public Select where(Condition condition) {
        where.add(condition);
        return this;
    }

    /**
     * Sets ORDER BY, e.g. {@code "age DESC, id"}. On a select built from a {@link Table}, a list
     * whose every item is one of the table's columns, optionally followed by {@code ASC} or {@code
     * DESC}, has its names quoted like the rest of the statement (so a column named {@code order}
     * works); any other text is SQL as given.
     *
     * @param orderBy the order-by list
     * @return this builder
     */
    public Select orderBy(String orderBy) {
        this.orderBy = Objects.requireNonNull(orderBy, "orderBy");
        return this;
    }

    private static final Pattern ORDER_ITEM =
            Pattern.compile("\\s*(\\w+)(?:\\s+(ASC|DESC))?\\s*", Pattern.CASE_INSENSITIVE);

    /** The ORDER BY list with the table's column names quoted, when it is only such names. */
    private String renderOrderBy() {
        if (table == null) {
            return orderBy;
        }
        StringBuilder out = new StringBuilder();
        for (String item : orderBy.split(",", -1)) {
            Matcher m = ORDER_ITEM.matcher(item);
            if (!m.matches() || !table.columnNames().contains(m.group(1))) {
                return orderBy;
            }
            out.append(out.isEmpty() ? "" : ", ").append(table.dialect().quote(m.group(1)));
            if (m.group(2) != null) {
                out.append(' ').append(m.group(2).toUpperCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    /**
     * Limits the number of rows (bound as a parameter).
     *
     * @param limit at least 0
     * @return this builder
     */
    public Select limit(long limit) {
        if (limit < 0) {
            throw new VtdbException("limit must be >= 0 but was " + limit);
        }
        this.limit = limit;
        return this;
    }

    /**
     * Skips rows (bound as a parameter).
     *
     * @param offset at least 0
     * @return this builder
     */
    public Select offset(long offset) {
        if (offset < 0) {
            throw new VtdbException("offset must be >= 0 but was " + offset);
        }
        this.offset = offset;
        return this;
    }

    @Override
    String render(List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columnsText);
        if (fromText != null) {
            sql.append(" \nFROM ").append(fromText);
        }
        Dialect dialect = table == null ? Dialect.ANSI : table.dialect();
        where.render(dialect, table, sql, params, " \nWHERE ");
        if (orderBy != null) {
            sql.append(" \nORDER BY ").append(renderOrderBy());
        }
        if (limit != null) {
            sql.append(" \nLIMIT ?");
            params.add(limit);
        }
        if (offset != null) {
            sql.append(" OFFSET ?");
            params.add(offset);
        }
        return sql.toString();
    }
}
