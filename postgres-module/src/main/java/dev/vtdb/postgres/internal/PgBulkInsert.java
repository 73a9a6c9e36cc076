package dev.vtdb.postgres.internal;

import dev.vtdb.BatchResult;
import dev.vtdb.ConstraintViolationException;
import dev.vtdb.ExecResult;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.Session;
import dev.vtdb.internal.SqlParser;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * executeMany's fast paths for {@code INSERT INTO t (a, b) VALUES ($1, $2)}: into a plain table
 * without rules, one {@code COPY t (a, b) FROM STDIN}; otherwise (views, tables with rules) one
 * statement {@code
 * INSERT INTO t (a, b) SELECT * FROM unnest($1::type_a[], $2::type_b[])} with one array per column.
 * One statement is atomic by itself; the column types come from the catalog so every value gets an
 * explicit cast to its column's type. Anything else (expressions in VALUES, ON CONFLICT,
 * RETURNING, array columns, values whose element type cannot be inferred) takes the JDBC batch.
 */
final class PgBulkInsert {
    /** Below this many rows the plain batch is as fast. */
    static final int MIN_ROWS = 2;

    private static final String IDENT = "(?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)";
    private static final Pattern INSERT = Pattern.compile("(?is)\\s*INSERT\\s+INTO\\s+(" + IDENT + "(?:\\s*\\.\\s*"
            + IDENT + ")?)\\s*\\(([^)]*)\\)\\s*VALUES\\s*" + "\\(([^)]*)\\)\\s*;?\\s*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\s*(\\?|\\$([1-9][0-9]*))\\s*");
    private static final Pattern COLUMN = Pattern.compile("\\s*(" + IDENT + ")\\s*");

    /**
     * A recognised statement.
     *
     * @param table the table as written
     * @param columns column names as the catalog spells them
     * @param argIndex for each column, the argument it takes
     */
    record Plan(String table, List<String> columns, int[] argIndex) {}

    private PgBulkInsert() {}

    /** Recognises a single-row INSERT whose values are all distinct placeholders. */
    static Plan plan(String sql) {
        Matcher m = INSERT.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        for (String c : m.group(2).split(",", -1)) {
            Matcher cm = COLUMN.matcher(c);
            if (!cm.matches()) {
                return null;
            }
            columns.add(identifier(cm.group(1)));
        }
        String[] values = m.group(3).split(",", -1);
        if (values.length != columns.size()) {
            return null;
        }
        int[] argIndex = new int[values.length];
        boolean numbered = false;
        boolean positional = false;
        boolean[] seen = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            Matcher pm = PLACEHOLDER.matcher(values[i]);
            if (!pm.matches()) {
                return null;
            }
            if (pm.group(2) == null) {
                positional = true;
                argIndex[i] = i;
            } else {
                numbered = true;
                int n = Integer.parseInt(pm.group(2));
                if (n > values.length || seen[n - 1]) {
                    return null;
                }
                seen[n - 1] = true;
                argIndex[i] = n - 1;
            }
        }
        if (numbered && positional) {
            return null;
        }
        return new Plan(m.group(1), columns, argIndex);
    }

    private static String identifier(String s) {
        if (s.startsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Runs the fast path, or returns {@code null} when it does not apply (then nothing was sent
     * except a catalog read).
     */
    static BatchResult run(
            Session s,
            Plan plan,
            String original,
            List<? extends List<?>> rows,
            Function<SQLException, RuntimeException> translate)
            throws SQLException {
        int width = plan.columns().size();
        for (List<?> row : rows) {
            if (row == null || row.size() != width) {
                return null; // let the batch report the bad row
            }
        }
        String[] elementTypes = new String[width];
        for (int c = 0; c < width; c++) {
            Class<?> type = null;
            for (List<?> row : rows) {
                Object v = row.get(plan.argIndex()[c]);
                if (v == null) {
                    continue;
                }
                if (type == null) {
                    type = v.getClass();
                } else if (!type.equals(v.getClass())) {
                    return null;
                }
            }
            if (type == null) {
                elementTypes[c] = "text";
            } else if (type == byte[].class || java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
                return null;
            } else {
                try {
                    elementTypes[c] = PgDriverSupport.elementType(type);
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        Optional<Row> relation = s.fetchRow(
                "SELECT c.relkind::text AS kind, c.relhasrules AS rules FROM pg_class c WHERE c.oid = to_regclass(?)",
                plan.table());
        if (relation.isEmpty()) {
            return null; // no such table: the batch reports it
        }
        String kind = (String) relation.get().get("kind");
        if (("r".equals(kind) || "p".equals(kind))
                && !Boolean.TRUE.equals(relation.get().get("rules"))) {
            return copy(s, plan, original, rows, translate);
        }
        Map<String, String[]> catalog = columnTypes(s, plan.table());
        if (catalog == null) {
            return null;
        }
        String[] columnTypes = new String[width];
        for (int c = 0; c < width; c++) {
            String[] t = catalog.get(plan.columns().get(c));
            if (t == null || "A".equals(t[1])) {
                return null; // unknown column (the batch reports it) or an array column
            }
            columnTypes[c] = t[0];
        }
        Connection connection = s.connection();
        Object[] arrays = new Object[width];
        for (int c = 0; c < width; c++) {
            Object[] values = new Object[rows.size()];
            int arg = plan.argIndex()[c];
            for (int r = 0; r < values.length; r++) {
                values[r] = toElement(rows.get(r).get(arg));
            }
            arrays[c] = connection.createArrayOf(elementTypes[c], values);
        }
        StringBuilder sql =
                new StringBuilder("INSERT INTO ").append(plan.table()).append(" (");
        StringBuilder select = new StringBuilder(" SELECT ");
        StringBuilder from = new StringBuilder(" FROM unnest(");
        for (int c = 0; c < width; c++) {
            if (c > 0) {
                sql.append(", ");
                select.append(", ");
                from.append(", ");
            }
            sql.append(PgCopy.quote(plan.columns().get(c)));
            select.append("u.c").append(c).append("::").append(columnTypes[c]);
            from.append("?::").append(elementTypes[c]).append("[]");
        }
        from.append(") AS u(");
        for (int c = 0; c < width; c++) {
            from.append(c > 0 ? ", c" : "c").append(c);
        }
        from.append(')');
        sql.append(')').append(select).append(from);
        ExecResult r;
        try {
            r = s.execute(sql.toString(), arrays);
        } catch (QueryException e) {
            throw withOriginalSql(e, original, "one INSERT ... SELECT FROM unnest");
        }
        long[] counts = new long[rows.size()];
        Arrays.fill(counts, 1);
        if (r.rowCount() != rows.size()) {
            Arrays.fill(counts, java.sql.Statement.SUCCESS_NO_INFO);
        }
        return new BatchResult(counts, r.rowCount());
    }

    /** A plain table without rules: the rows go in with one COPY, the fastest way in. */
    private static BatchResult copy(
            Session s,
            Plan plan,
            String original,
            List<? extends List<?>> rows,
            Function<SQLException, RuntimeException> translate) {
        String sql = "COPY " + plan.table() + PgCopy.columnList(plan.columns()) + " FROM STDIN";
        long count;
        try {
            CopyIn in = s.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                count = PgCopy.writeRecords(in, rows, plan.columns().size(), plan.argIndex());
            } finally {
                if (in.isActive()) {
                    try {
                        in.cancelCopy();
                    } catch (SQLException e) {
                        // the copy failed already; its error is what the caller sees
                    }
                }
            }
        } catch (SQLException e) {
            RuntimeException t = translate.apply(e);
            throw t instanceof QueryException q ? withOriginalSql(q, original, "one COPY") : t;
        }
        long[] counts = new long[rows.size()];
        Arrays.fill(counts, count == rows.size() ? 1 : java.sql.Statement.SUCCESS_NO_INFO);
        return new BatchResult(counts, count);
    }

    /** Reports the caller's statement rather than the rewritten one. */
    private static QueryException withOriginalSql(QueryException e, String original, String how) {
        String redacted = SqlParser.redact(original, SqlParser.Flavor.POSTGRES);
        String message = e.getMessage();
        int at = message.indexOf(" — SQL: ");
        String head = at < 0 ? message : message.substring(0, at);
        String oneLine = redacted.replaceAll("\\s+", " ").strip();
        String text = head + " — SQL: " + (oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…")
                + " (sent as " + how + ")";
        QueryException out = e instanceof ConstraintViolationException c
                ? new ConstraintViolationException(
                        text, e.sqlState(), e.vendorCode(), redacted, c.constraint(), e.getCause())
                : new QueryException(text, e.sqlState(), e.vendorCode(), redacted, e.getCause());
        out.setStackTrace(e.getStackTrace());
        return out;
    }

    private static Object toElement(Object v) {
        if (v instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        } else if (v instanceof java.time.ZonedDateTime z) {
            return z.toOffsetDateTime();
        } else if (v instanceof Enum<?> e) {
            return e.name();
        } else if (v instanceof Character c) {
            return c.toString();
        } else if (v instanceof java.math.BigInteger b) {
            return new java.math.BigDecimal(b);
        } else if (v instanceof java.time.Duration d) {
            return PgDriverSupport.interval(d).getValue();
        }
        return v;
    }

    /** Column name to {format_type, typcategory}, or {@code null} when the table is not found. */
    private static Map<String, String[]> columnTypes(Session s, String table) {
        List<Row> rows;
        try {
            rows = s.fetch(
                    "SELECT a.attname, format_type(a.atttypid, NULL), t.typcategory::text"
                            + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                            + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped",
                    table);
        } catch (RuntimeException e) {
            return null;
        }
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, String[]> out = new HashMap<>();
        for (Row r : rows) {
            out.put((String) r.get(0), new String[] {(String) r.get(1), (String) r.get(2)});
        }
        return out;
    }
}
