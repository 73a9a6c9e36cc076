package dev.vtdb.postgres.internal;

import dev.vtdb.internal.InvalidText;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.postgresql.copy.CopyIn;

/**
 * Records sent in COPY's binary format, as asyncpg's {@code copy_records_to_table} sends them:
 * PostgreSQL reads a binary integer or string with less work than its text (about 20% less server
 * time for a million rows of two integers and a text, bench/PROFILES.md), and the server is what
 * bounds a COPY. Only for columns whose binary form is simple and whose text input rules are
 * reproduced here exactly: {@code smallint}, {@code integer}, {@code bigint}, {@code boolean},
 * {@code text}, {@code varchar} and {@code char}; a table with any other column type gets COPY
 * text ({@link PgCopy}).
 *
 * <p>Each value means what it means in COPY text: a value that is not already the column's Java
 * type is rendered as COPY text would render it and read as PostgreSQL's input function reads that
 * text ({@code "42"} into an {@code integer} column is 42, {@code "yes"} into a {@code boolean} one
 * is true), and text the server would reject is rejected here with the server's SQLSTATE and
 * message, before anything of its row is sent. The COPY is then cancelled: nothing is copied.
 */
final class PgBinaryCopy {
    /** The first bytes of COPY's binary format, written here and checked by {@link PgCopyRows}. */
    static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** The signature, then no flags and no header extension. */
    private static final byte[] HEADER = java.util.Arrays.copyOf(SIGNATURE, SIGNATURE.length + 8);

    private enum Kind {
        INT2("smallint", Short.MIN_VALUE, Short.MAX_VALUE),
        INT4("integer", Integer.MIN_VALUE, Integer.MAX_VALUE),
        INT8("bigint", Long.MIN_VALUE, Long.MAX_VALUE),
        BOOL("boolean", 0, 0),
        TEXT("text", 0, 0);

        final String sqlName;
        final long min;
        final long max;

        Kind(String sqlName, long min, long max) {
            this.sqlName = sqlName;
            this.min = min;
            this.max = max;
        }

        static Kind of(String typeName) {
            return switch (typeName) {
                case "int2" -> INT2;
                case "int4" -> INT4;
                case "int8" -> INT8;
                case "bool" -> BOOL;
                case "text", "varchar", "bpchar" -> TEXT;
                default -> null;
            };
        }
    }

    /** Builds the error for a value the server would reject: its SQLSTATE and message. */
    @FunctionalInterface
    interface Rejection {
        RuntimeException of(String sqlState, String message);
    }

    private final Kind[] kinds;
    /** PostgreSQL 16 and later read {@code 0x1F} and {@code 1_000} as integers. */
    private final boolean modernIntegers;

    private PgBinaryCopy(Kind[] kinds, boolean modernIntegers) {
        this.kinds = kinds;
        this.modernIntegers = modernIntegers;
    }

    /**
     * Looks the columns' types up (one round trip: {@code SELECT columns FROM table LIMIT 0}).
     *
     * @param connection the connection the COPY will run on
     * @param quotedTable the table, quoted
     * @param columns the COPY's columns
     * @return the binary encoder, or {@code null} when a column has another type or the lookup
     *     failed (the COPY then runs in text format and reports what is wrong)
     */
    static PgBinaryCopy forColumns(Connection connection, String quotedTable, List<String> columns) {
        String sql = "SELECT " + columns.stream().map(PgCopy::quote).collect(Collectors.joining(", ")) + " FROM "
                + quotedTable + " LIMIT 0";
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            Kind[] kinds = new Kind[md.getColumnCount()];
            for (int i = 0; i < kinds.length; i++) {
                kinds[i] = Kind.of(md.getColumnTypeName(i + 1));
                if (kinds[i] == null) {
                    return null;
                }
            }
            return kinds.length == columns.size()
                    ? new PgBinaryCopy(kinds, connection.getMetaData().getDatabaseMajorVersion() >= 16)
                    : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Writes every record to the COPY (started with {@code FORMAT binary}) and ends it.
     *
     * @return the row count the server reports
     */
    long writeRecords(
            CopyIn copy,
            Iterable<? extends List<?>> records,
            List<String> names,
            PgCopy.Refusal refusal,
            Rejection rejection)
            throws SQLException {
        CopyOut out = new CopyOut(copy);
        out.bytes(HEADER);
        int width = kinds.length;
        int rowNo = 0;
        for (List<?> record : records) {
            rowNo++;
            PgCopy.checkWidth(record, rowNo, width);
            out.int16(width);
            for (int c = 0; c < width; c++) {
                Object v = record.get(c);
                if (v == null) {
                    out.int32(-1);
                    continue;
                }
                String problem = InvalidText.problem(v);
                if (problem != null) {
                    throw refusal.of(where(rowNo, names, c), problem);
                }
                Kind k = kinds[c];
                switch (k) {
                    case INT2 -> {
                        out.int32(2);
                        out.int16((int) integer(v, k, rowNo, names, c, rejection));
                    }
                    case INT4 -> {
                        out.int32(4);
                        out.int32((int) integer(v, k, rowNo, names, c, rejection));
                    }
                    case INT8 -> {
                        out.int32(8);
                        out.int64(integer(v, k, rowNo, names, c, rejection));
                    }
                    case BOOL -> {
                        out.int32(1);
                        out.put(bool(v, rowNo, names, c, rejection) ? 1 : 0);
                    }
                    case TEXT -> {
                        byte[] text = (v instanceof String s ? s : rendered(v)).getBytes(StandardCharsets.UTF_8);
                        out.int32(text.length);
                        out.bytes(text);
                    }
                }
            }
        }
        out.int16(-1);
        out.flush();
        return copy.endCopy();
    }

    /** The value as COPY text sends it, unescaped: what the server's input function reads. */
    private static String rendered(Object v) {
        StringBuilder sb = new StringBuilder();
        PgCopy.appendValue(sb, v);
        return PgCopy.unescapeCopy(sb.toString());
    }

    /**
     * An integer column's value: the integer, or its text read as PostgreSQL's {@code int4in} does
     * (spaces around, a sign, decimal digits; from PostgreSQL 16 also {@code 0x}, {@code 0o} and
     * {@code 0b} prefixes and single underscores between digits).
     */
    private long integer(Object v, Kind k, int rowNo, List<String> names, int c, Rejection rejection) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long n = ((Number) v).longValue();
            if (n < k.min || n > k.max) {
                throw outOfRange(String.valueOf(n), k, where(rowNo, names, c), rejection);
            }
            return n;
        }
        String text = rendered(v);
        String t = strip(text);
        int i = 0;
        int end = t.length();
        boolean negative = false;
        if (i < end && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            negative = t.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (modernIntegers && end - i > 2 && t.charAt(i) == '0') {
            base = switch (t.charAt(i + 1)) {
                case 'x', 'X' -> 16;
                case 'o', 'O' -> 8;
                case 'b', 'B' -> 2;
                default -> 10;
            };
            if (base != 10) {
                i += 2;
            }
        }
        int first = i;
        // accumulated below zero, as PostgreSQL does, so that the minimum fits
        long n = 0;
        for (; i < end; i++) {
            char ch = t.charAt(i);
            if (ch == '_' && modernIntegers && (i > first || base != 10) && i + 1 < end) {
                continue; // the next character must be a digit: checked as it is read
            }
            int d = Character.digit(ch, base);
            if (d < 0 || ch > 'f') {
                throw invalid(text, k, where(rowNo, names, c), rejection);
            }
            if (n < (k.min + d) / base) {
                throw outOfRange(text, k, where(rowNo, names, c), rejection);
            }
            n = n * base - d;
        }
        if (i == first || t.charAt(end - 1) == '_' || t.contains("__")) {
            throw invalid(text, k, where(rowNo, names, c), rejection);
        }
        if (!negative) {
            if (n < -k.max) {
                throw outOfRange(text, k, where(rowNo, names, c), rejection);
            }
            n = -n;
        }
        return n;
    }

    /** A boolean column's value: the boolean, or its text read as PostgreSQL's {@code boolin} does. */
    private static boolean bool(Object v, int rowNo, List<String> names, int c, Rejection rejection) {
        if (v instanceof Boolean b) {
            return b;
        }
        String text = rendered(v);
        String t = strip(text).toLowerCase(Locale.ROOT);
        int len = t.length();
        if (len > 0) {
            switch (t.charAt(0)) {
                case 't' -> {
                    if ("true".startsWith(t)) {
                        return true;
                    }
                }
                case 'y' -> {
                    if ("yes".startsWith(t)) {
                        return true;
                    }
                }
                case 'f' -> {
                    if ("false".startsWith(t)) {
                        return false;
                    }
                }
                case 'n' -> {
                    if ("no".startsWith(t)) {
                        return false;
                    }
                }
                case 'o' -> {
                    if (t.equals("on")) {
                        return true;
                    }
                    if (len >= 2 && "off".startsWith(t)) {
                        return false;
                    }
                }
                case '1' -> {
                    if (len == 1) {
                        return true;
                    }
                }
                case '0' -> {
                    if (len == 1) {
                        return false;
                    }
                }
                default -> {}
            }
        }
        throw rejection.of(
                "22P02", where(rowNo, names, c) + ": invalid input syntax for type boolean: \"" + text + "\"");
    }

    /** Where a value sits, for messages: made only when one is needed. */
    private static String where(int rowNo, List<String> names, int c) {
        return "record " + rowNo + ", column " + names.get(c);
    }

    private static RuntimeException invalid(String text, Kind k, String where, Rejection rejection) {
        return rejection.of("22P02", where + ": invalid input syntax for type " + k.sqlName + ": \"" + text + "\"");
    }

    private static RuntimeException outOfRange(String text, Kind k, String where, Rejection rejection) {
        return rejection.of("22003", where + ": value \"" + text + "\" is out of range for type " + k.sqlName);
    }

    /** C's {@code isspace} in the C locale, which PostgreSQL's input functions skip around a value. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private static String strip(String s) {
        int i = 0;
        int end = s.length();
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        while (end > i && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(i, end);
    }
}
