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
}
