package dev.vtdb.sql;

import java.util.List;

/**
 * A built statement: SQL text with {@code ?} placeholders and the values to bind, in order.
 * {@code toString()} returns the SQL text (SQLAlchemy's {@code str(statement)}).
 */
public interface SqlStatement {
    /**
     * Returns the SQL text.
     *
     * @return SQL with {@code ?} placeholders
     */
    String sql();

    /**
     * Returns the values bound to the placeholders, in order.
     *
     * @return the parameters (may contain {@code null})
     */
    List<Object> parameters();

    /**
     * Returns the columns whose generated values an INSERT should report (the table's
     * auto-increment or identity column); empty for other statements.
     *
     * @return column names
     */
    default List<String> generatedKeyColumns() {
        return List.of();
    }

    /**
     * Returns, for an INSERT whose rows give the {@linkplain #generatedKeyColumns generated-key
     * column} a value of their own, that value per row ({@code null} where the database makes one),
     * so the result reports every row's key; empty when no row gives one, and for other statements.
     *
     * @return per row, the key value it supplies or {@code null}
     */
    default List<Object> suppliedKeys() {
        return List.of();
    }
}
