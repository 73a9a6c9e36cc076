package dev.vtdb.sql;

import dev.vtdb.VtdbException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How SQL is spelled for one database: identifier quoting and upsert syntax. Values are never
 * spelled into SQL: builders always bind them as {@code ?} parameters.
 */
public final class Dialect {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    /** PostgreSQL: identifiers in double quotes, upsert as {@code ON CONFLICT ... DO UPDATE}. */
    public static final Dialect POSTGRES = new Dialect("postgres", '"');

    /** MySQL and MariaDB: identifiers in backticks, upsert as {@code ON DUPLICATE KEY UPDATE}. */
    public static final Dialect MYSQL = new Dialect("mysql", '`');

    /**
     * Text fragments with no database in mind (what {@link Select#columns(String)} renders):
     * identifiers are not quoted but must be plain names ({@code [A-Za-z_][A-Za-z0-9_$]*},
     * dot-separated), so nothing but a name can slip in.
     */
    public static final Dialect ANSI = new Dialect("ansi", '\0');

    private final String name;
    private final char quote;

    private Dialect(String name, char quote) {
        this.name = name;
        this.quote = quote;
    }

    /**
     * Returns the dialect's name.
     *
     * @return {@code postgres}, {@code mysql} or {@code ansi}
     */
    public String name() {
        return name;
    }

    /**
     * Quotes an identifier, doubling embedded quote characters; a dotted name ({@code
     * schema.table}) is quoted part by part.
     *
     * @param identifier a table or column name
     * @return the quoted identifier
     * @throws VtdbException when the identifier is empty or holds a NUL character, or (ANSI) is
     *     not a plain name
     */
    public String quote(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new VtdbException("invalid identifier "
                    + (identifier == null ? "null" : "'" + identifier.replace("\0", "\\0") + "'"));
        }
        StringBuilder sb = new StringBuilder(identifier.length() + 4);
        String[] parts = identifier.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            String part = parts[i];
            if (quote == '\0') {
                if (!PLAIN_IDENTIFIER.matcher(part).matches()) {
                    throw new VtdbException("identifier '" + identifier
                            + "' is not a plain name; build the statement from a Table to quote it");
                }
                sb.append(part);
            } else {
                if (part.isEmpty()) {
                    throw new VtdbException("invalid identifier '" + identifier + "'");
                }
                String q = String.valueOf(quote);
                sb.append(quote).append(part.replace(q, q + q)).append(quote);
            }
        }
        return sb.toString();
    }

    /**
     * Renders the upsert clause that follows an INSERT's VALUES.
     *
     * @param conflictColumns the unique key the conflict is on (PostgreSQL needs it)
     * @param updateColumns the columns to overwrite with the inserted values
     * @return the clause, starting with a space
     * @throws VtdbException for {@link #ANSI}, or PostgreSQL without conflict columns
     */
    public String upsertClause(List<String> conflictColumns, List<String> updateColumns) {
        return upsertClause(conflictColumns, updateColumns, false);
    }

    /**
     * Renders the upsert clause that sets columns to bound values ({@code col = ?}), as SQLAlchemy's
     * {@code on_duplicate_key_update(age=18)}.
     *
     * @param conflictColumns the unique key the conflict is on (PostgreSQL needs it)
     * @param updateColumns the columns to set, one {@code ?} each, in order
     * @return the clause, starting with a space
     * @throws VtdbException for {@link #ANSI}, or PostgreSQL without conflict columns
     */
    public String upsertValuesClause(List<String> conflictColumns, List<String> updateColumns) {
        return upsertClause(conflictColumns, updateColumns, true);
    }

    private String upsertClause(List<String> conflictColumns, List<String> updateColumns, boolean bound) {
        StringBuilder sb = new StringBuilder();
        if (this == MYSQL) {
            sb.append(" ON DUPLICATE KEY UPDATE ");
            appendAssignments(sb, updateColumns, bound ? null : "VALUES(", ")");
        } else if (this == POSTGRES) {
            if (conflictColumns.isEmpty()) {
                throw new VtdbException("upsert on PostgreSQL needs a primary key to detect the conflict");
            }
            sb.append(" ON CONFLICT (");
            for (int i = 0; i < conflictColumns.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(quote(conflictColumns.get(i)));
            }
            if (updateColumns.isEmpty()) {
                return sb.append(") DO NOTHING").toString();
            }
            sb.append(") DO UPDATE SET ");
            appendAssignments(sb, updateColumns, bound ? null : "EXCLUDED.", "");
        } else {
            throw new VtdbException("upsert needs a database dialect (postgres or mysql), not " + name);
        }
        return sb.toString();
    }

    /** Appends {@code c = before c after} per column, or {@code c = ?} when {@code before} is null. */
    private void appendAssignments(StringBuilder sb, List<String> columns, String before, String after) {
        for (int i = 0; i < columns.size(); i++) {
            String c = quote(columns.get(i));
            sb.append(i == 0 ? "" : ", ").append(c).append(" = ");
            if (before == null) {
                sb.append('?');
            } else {
                sb.append(before).append(c).append(after);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
