package dev.vtdb.sql;

/**
 * A reflected (or declared) table column.
 *
 * @param name the column name as the catalog spells it
 * @param typeName the database's type name ({@code int4}, {@code varchar}, {@code INT UNSIGNED})
 * @param jdbcType the {@link java.sql.Types} constant
 * @param nullable whether NULL is allowed
 * @param defaultValue the default expression, or {@code null}
 * @param primaryKey whether the column is part of the primary key
 * @param autoIncrement whether the server generates its value (AUTO_INCREMENT, serial, identity)
 */
public record Column(
        String name,
        String typeName,
        int jdbcType,
        boolean nullable,
        String defaultValue,
        boolean primaryKey,
        boolean autoIncrement) {

    /**
     * Declares a plain nullable column without a default.
     *
     * @param name the column name
     * @param typeName the type name
     * @return the column
     */
    public static Column of(String name, String typeName) {
        return new Column(name, typeName, java.sql.Types.OTHER, true, null, false, false);
    }
}
