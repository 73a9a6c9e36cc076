package dev.vtdb.internal;

import dev.vtdb.QueryException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds bound text that is not valid Unicode before it reaches a driver. A Java {@code String}
 * with an unpaired surrogate ({@code "abc\uD800def"}) has no UTF-8 form: pgjdbc, Connector/J and
 * Jedis would silently send {@code '?'} in its place and the server would store corrupted text.
 * vtdb refuses it instead, naming the parameter, and sends nothing.
 *
 * <p>The scan only looks at {@code String}s and {@code Character}s (and the elements of a
 * collection or array bound as one parameter): one pass over their chars, no allocation.
 */
public final class InvalidText {
    /** The SQL state of the refusal: PostgreSQL's {@code character_not_in_repertoire}. */
    public static final String SQL_STATE = "22021";

    private InvalidText() {}

    /**
     * Returns the index of the first unpaired surrogate of a text.
     *
     * @param s the text
     * @return the index, or {@code -1} when the text is valid Unicode
     */
    public static int unpairedSurrogate(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Describes what is wrong with one bound value.
     *
     * @param value a value bound as a parameter
     * @return e.g. {@code an unpaired surrogate U+D800 at index 3}, or {@code null} when the value is
     *     not text or is valid Unicode
     */
    public static String problem(Object value) {
        if (value instanceof String s) {
            int at = unpairedSurrogate(s);
            return at < 0 ? null : surrogate(s.charAt(at)) + " at index " + at;
        }
        if (value instanceof Character c) {
            return Character.isSurrogate(c) ? surrogate(c) + " (a Character)" : null;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                String p = e instanceof String || e instanceof Character ? problem(e) : null;
                if (p != null) {
                    return "element " + i + " holds " + p;
                }
                i++;
            }
            return null;
        }
        if (value instanceof Object[] array) {
            for (int i = 0; i < array.length; i++) {
                String p = array[i] instanceof String || array[i] instanceof Character ? problem(array[i]) : null;
                if (p != null) {
                    return "element " + i + " holds " + p;
                }
            }
        }
        return null;
    }

    private static String surrogate(char c) {
        return "an unpaired surrogate U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Refuses positional arguments holding invalid text.
     *
     * @param engine the database, for its name and dialect
     * @param operation what was called ({@code execute}...)
     * @param sql the caller's statement
     * @param p the parsed statement (for {@code $n} numbering)
     * @param args the caller's arguments, in the caller's order
     * @param row for {@code executeMany}, the 1-based row; 0 otherwise
     * @throws QueryException with SQL state {@value #SQL_STATE}, naming the parameter
     */
    public static void check(Engine engine, String operation, String sql, SqlParser.Parsed p, Object[] args, int row) {
        for (int i = 0; i < args.length; i++) {
            Object v = args[i];
            if (v != null && !(v instanceof Number) && problem(v) != null) {
                String name =
                        p != null && p.style() == SqlParser.Style.NUMBERED ? "$" + (i + 1) : String.valueOf(i + 1);
                String where = (row > 0 ? "row " + row + ", " : "") + "parameter " + name;
                throw refusal(engine.driver(), engine.name(), operation, sql, where, problem(v));
            }
        }
    }

    /**
     * Refuses named arguments holding invalid text.
     *
     * @param engine the database
     * @param operation what was called
     * @param sql the caller's statement
     * @param p the parsed statement
     * @param params the caller's arguments by name
     * @throws QueryException with SQL state {@value #SQL_STATE}, naming the parameter
     */
    public static void checkNamed(
            Engine engine, String operation, String sql, SqlParser.Parsed p, Map<String, ?> params) {
        for (String name : p.names()) {
            String problem = problem(params.get(name));
            if (problem != null) {
                throw refusal(engine.driver(), engine.name(), operation, sql, "parameter :" + name, problem);
            }
        }
    }

    /**
     * Refuses {@code executeMany} rows holding invalid text; called before the first row is sent,
     * so nothing of the batch is written.
     *
     * @param engine the database
     * @param sql the caller's statement
     * @param rows the argument rows
     * @throws QueryException with SQL state {@value #SQL_STATE}, naming the row and parameter
     */
    public static void checkRows(Engine engine, String sql, List<? extends List<?>> rows) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        for (int r = 0; r < rows.size(); r++) {
            List<?> row = rows.get(r);
            if (row != null) {
                check(engine, "executeMany", sql, p, row.toArray(), r + 1);
            }
        }
    }

    /**
     * Builds the refusal.
     *
     * @param driver the module's driver support (for the SQL flavour)
     * @param database the database name for the message
     * @param operation what was called
     * @param sql the statement, or {@code null}
     * @param where which value, e.g. {@code parameter 2}, {@code row 3, parameter $1}, {@code
     *     record 2, column name}
     * @param problem what is wrong, from {@link #problem(Object)}
     * @return the exception to throw
     */
    public static QueryException refusal(
            DriverSupport driver, String database, String operation, String sql, String where, String problem) {
        String redacted = SqlParser.redact(sql, driver.sqlFlavor());
        return new QueryException(
                database + " " + operation + " refused " + where + ": the text is not valid Unicode (" + problem
                        + "); the driver would send '?' in its place, so nothing was sent (SQLSTATE " + SQL_STATE
                        + ", vendor code 0)" + (redacted == null ? "" : " — SQL: " + Errors.abbreviate(redacted)),
                SQL_STATE,
                0,
                redacted,
                null);
    }
}
