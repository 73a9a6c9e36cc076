package dev.vtdb.sql;

import dev.vtdb.VtdbException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A WHERE predicate built from column names and bound values ({@code eq}, {@code in}, {@code
 * like}, {@code isNull}, {@code and}, {@code or}...) or from raw text with {@code ?} parameters.
 * Column names are quoted by the statement's dialect and checked against its table; values are
 * always bound, never spelled into the SQL.
 */
public abstract sealed class Condition {

    private Condition() {}

    /**
     * {@code column = value}; a {@code null} value renders {@code IS NULL}.
     *
     * @param column column name
     * @param value value to compare with
     * @return the condition
     */
    public static Condition eq(String column, Object value) {
        return value == null ? isNull(column) : new Compare(column, "=", value);
    }

    /**
     * {@code column <> value}; a {@code null} value renders {@code IS NOT NULL}.
     *
     * @param column column name
     * @param value value to compare with
     * @return the condition
     */
    public static Condition ne(String column, Object value) {
        return value == null ? isNotNull(column) : new Compare(column, "<>", value);
    }

    /**
     * {@code column < value}.
     *
     * @param column column name
     * @param value bound value
     * @return the condition
     */
    public static Condition lt(String column, Object value) {
        return new Compare(column, "<", Objects.requireNonNull(value, "value"));
    }

    /**
     * {@code column <= value}.
     *
     * @param column column name
     * @param value bound value
     * @return the condition
     */
    public static Condition le(String column, Object value) {
        return new Compare(column, "<=", Objects.requireNonNull(value, "value"));
    }

    /**
     * {@code column > value}.
     *
     * @param column column name
     * @param value bound value
     * @return the condition
     */
    public static Condition gt(String column, Object value) {
        return new Compare(column, ">", Objects.requireNonNull(value, "value"));
    }

    /**
     * {@code column >= value}.
     *
     * @param column column name
     * @param value bound value
     * @return the condition
     */
    public static Condition ge(String column, Object value) {
        return new Compare(column, ">=", Objects.requireNonNull(value, "value"));
    }

    /**
     * {@code column LIKE pattern}.
     *
     * @param column column name
     * @param pattern bound pattern
     * @return the condition
     */
    public static Condition like(String column, String pattern) {
        return new Compare(column, "LIKE", Objects.requireNonNull(pattern, "pattern"));
    }

    /**
     * {@code column IN (?, ?, ...)}; an empty collection renders a predicate that is false.
     *
     * @param column column name
     * @param values bound values
     * @return the condition
     */
    public static Condition in(String column, Collection<?> values) {
        return new In(column, List.copyOf(values));
    }

    /**
     * {@code column IN (?, ?, ...)}.
     *
     * @param column column name
     * @param values bound values
     * @return the condition
     */
    public static Condition in(String column, Object... values) {
        return new In(column, Arrays.asList(values));
    }

    /**
     * {@code column IS NULL}.
     *
     * @param column column name
     * @return the condition
     */
    public static Condition isNull(String column) {
        return new Unary(column, "IS NULL");
    }

    /**
     * {@code column IS NOT NULL}.
     *
     * @param column column name
     * @return the condition
     */
    public static Condition isNotNull(String column) {
        return new Unary(column, "IS NOT NULL");
    }

    /**
     * Raw SQL text with {@code ?} parameters, e.g. {@code raw("age > ? AND place <> ?", 18, "x")}.
     *
     * @param sql the predicate text
     * @param params values for its placeholders
     * @return the condition
     */
    public static Condition raw(String sql, Object... params) {
        return new Raw(Objects.requireNonNull(sql, "sql"), Arrays.asList(params));
    }

    /**
     * All of the conditions.
     *
     * @param conditions two or more conditions
     * @return {@code (a AND b ...)}
     */
    public static Condition and(Condition... conditions) {
        return new Junction("AND", List.of(conditions));
    }

    /**
     * Any of the conditions.
     *
     * @param conditions two or more conditions
     * @return {@code (a OR b ...)}
     */
    public static Condition or(Condition... conditions) {
        return new Junction("OR", List.of(conditions));
    }

    /**
     * Negation.
     *
     * @param condition the condition to negate
     * @return {@code NOT (condition)}
     */
    public static Condition not(Condition condition) {
        return new Not(Objects.requireNonNull(condition, "condition"));
    }

    /**
     * This condition and another.
     *
     * @param other the other condition
     * @return {@code (this AND other)}
     */
    public Condition and(Condition other) {
        return and(this, other);
    }

    /**
     * This condition or another.
     *
     * @param other the other condition
     * @return {@code (this OR other)}
     */
    public Condition or(Condition other) {
        return or(this, other);
    }

    abstract void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params);

    static String column(Dialect dialect, Table table, String column) {
        if (table != null) {
            table.column(column);
        }
        return dialect.quote(column);
    }

    private static final class Compare extends Condition {
        private final String column;
        private final String op;
        private final Object value;

        Compare(String column, String op, Object value) {
            this.column = Objects.requireNonNull(column, "column");
            this.op = op;
            this.value = value;
        }

        @Override
        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params) {
            sql.append(column(dialect, table, column)).append(' ').append(op).append(" ?");
            params.add(value);
        }
    }

    private static final class In extends Condition {
        private final String column;
        private final List<?> values;

        In(String column, List<?> values) {
            this.column = Objects.requireNonNull(column, "column");
            this.values = values;
        }

        @Override
        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params) {
            String c = column(dialect, table, column);
            if (values.isEmpty()) {
                sql.append("1 = 0");
                return;
            }
            sql.append(c).append(" IN (");
            for (int i = 0; i < values.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
                params.add(values.get(i));
            }
            sql.append(')');
        }
    }

    private static final class Unary extends Condition {
        private final String column;
        private final String op;

        Unary(String column, String op) {
            this.column = Objects.requireNonNull(column, "column");
            this.op = op;
        }

        @Override
        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params) {
            sql.append(column(dialect, table, column)).append(' ').append(op);
        }
    }

    private static final class Raw extends Condition {
        private final String text;
        private final List<Object> values;

        Raw(String text, List<Object> values) {
            this.text = text;
            this.values = values;
        }

        @Override
        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params) {
            sql.append(text);
            params.addAll(values);
        }
    }

    private static final class Junction extends Condition {
        private final String op;
        private final List<Condition> parts;

        Junction(String op, List<Condition> parts) {
            if (parts.isEmpty()) {
                throw new VtdbException(op + " needs at least one condition");
            }
            this.op = op;
            this.parts = parts;
        }

        @Override
        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params) {
            sql.append('(');
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    sql.append(' ').append(op).append(' ');
                }
                parts.get(i).render(dialect, table, sql, params);
            }
            sql.append(')');
        }
    }

    private static final class Not extends Condition {
        private final Condition inner;

        Not(Condition inner) {
            this.inner = inner;
        }

        @Override
        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params) {
            sql.append("NOT (");
            inner.render(dialect, table, sql, params);
            sql.append(')');
        }
    }

    /** Collects conditions of one WHERE clause, joined by AND. */
    static final class Where {
        private final List<Condition> conditions = new ArrayList<>();

        void add(Condition c) {
            conditions.add(Objects.requireNonNull(c, "condition"));
        }

        boolean isEmpty() {
            return conditions.isEmpty();
        }

        void render(Dialect dialect, Table table, StringBuilder sql, List<Object> params, String prefix) {
            if (conditions.isEmpty()) {
                return;
            }
            sql.append(prefix);
            for (int i = 0; i < conditions.size(); i++) {
                if (i > 0) {
                    sql.append(" AND ");
                }
                conditions.get(i).render(dialect, table, sql, params);
            }
        }
    }
}
