package dev.vtdb.postgres.internal;

import dev.vtdb.VtdbException;
import dev.vtdb.internal.InvalidText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import org.postgresql.copy.CopyIn;

/** Encodes rows as COPY text format and streams them through a {@link CopyIn} ({@link CopyOut}). */
final class PgCopy {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PgCopy() {}

    /** Quotes an optionally schema-qualified identifier: {@code app.girl} becomes {@code "app"."girl"}. */
    static String quoteQualified(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("table name must not be empty");
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = name.length();
        while (i < n) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            String part;
            if (name.charAt(i) == '"') {
                int j = i + 1;
                StringBuilder p = new StringBuilder();
                while (j < n) {
                    if (name.charAt(j) == '"') {
                        if (j + 1 < n && name.charAt(j + 1) == '"') {
                            p.append('"');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    p.append(name.charAt(j++));
                }
                part = p.toString();
                i = j + 1;
            } else {
                int dot = name.indexOf('.', i);
                int end = dot < 0 ? n : dot;
                part = name.substring(i, end);
                i = end;
            }
            if (i < n && name.charAt(i) == '.') {
                i++;
            }
            sb.append(quote(part));
        }
        return sb.toString();
    }

    static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new IllegalArgumentException("identifier must not be empty");
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String columnList(List<String> columns) {
        if (columns == null || columns.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(quote(columns.get(i)));
        }
        return sb.append(')').toString();
    }

    /** Builds the error for a value that cannot be sent, given where it is and what is wrong. */
    @FunctionalInterface
    interface Refusal {
        RuntimeException of(String where, String problem);
    }

    /**
     * Writes every record to the COPY and ends it, refusing (through {@code refusal}, before it is
     * written) a value holding text that is not valid Unicode; returns the row count the server
     * reports.
     */
    static long writeRecords(CopyIn copy, Iterable<? extends List<?>> records, List<String> columns, Refusal refusal)
            throws SQLException {
        int[] identity = new int[columns.size()];
        for (int c = 0; c < identity.length; c++) {
            identity[c] = c;
        }
        return writeRecords(copy, records, identity.length, identity, columns, refusal);
    }

    /**
     * Writes every record to the COPY and ends it, column {@code c} taking the record's value at
     * {@code valueIndex[c]}; the values were checked already. Returns the row count the server
     * reports.
     */
    static long writeRecords(CopyIn copy, Iterable<? extends List<?>> records, int width, int[] valueIndex)
            throws SQLException {
        return writeRecords(copy, records, width, valueIndex, null, null);
    }

    private static long writeRecords(
            CopyIn copy,
            Iterable<? extends List<?>> records,
            int width,
            int[] valueIndex,
            List<String> names,
            Refusal refusal)
            throws SQLException {
        Out out = new Out(copy);
        int rowNo = 0;
        int columns = valueIndex.length;
        for (List<?> record : records) {
            rowNo++;
            checkWidth(record, rowNo, width);
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    out.put('\t');
                }
                Object v = record.get(valueIndex[c]);
                if (refusal != null) {
                    String problem = InvalidText.problem(v);
                    if (problem != null) {
                        throw refusal.of("record " + rowNo + ", column " + names.get(c), problem);
                    }
                }
                out.value(v);
            }
            out.put('\n');
        }
        out.flush();
        return copy.endCopy();
    }

    /** Fails unless the record has one value per column. */
    static void checkWidth(List<?> record, int rowNo, int width) {
        if (record == null || record.size() != width) {
            throw new VtdbException("copyRecordsToTable record " + rowNo + " has "
                    + (record == null ? "no" : String.valueOf(record.size())) + " values but " + width
                    + " columns were given");
        }
    }

    /**
     * COPY text straight into the buffer: strings, integers, booleans and NULL without intermediate
     * strings; other types through {@link #appendValue}.
     */
    private static final class Out extends CopyOut {
        private final StringBuilder scratch = new StringBuilder();

        Out(CopyIn copy) {
            super(copy);
        }

        void value(Object v) throws SQLException {
            if (v == null) {
                put('\\');
                put('N');
            } else if (v instanceof String s) {
                escaped(s.getBytes(StandardCharsets.UTF_8));
            } else if ((v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
                    && ((Number) v).longValue() != Long.MIN_VALUE) {
                number(((Number) v).longValue());
            } else if (v instanceof Boolean b) {
                put(b ? 't' : 'f');
            } else {
                scratch.setLength(0);
                appendValue(scratch, v);
                bytes(scratch.toString().getBytes(StandardCharsets.UTF_8));
            }
        }

        /** UTF-8 bytes with COPY's escapes; the escaped characters are ASCII, never part of a multi-byte one. */
        private void escaped(byte[] text) throws SQLException {
            for (byte x : text) {
                room(2);
                char letter = escapeLetter(x);
                if (letter == 0) {
                    buf[pos++] = x;
                } else {
                    buf[pos++] = '\\';
                    buf[pos++] = (byte) letter;
                }
            }
        }

        private void number(long v) throws SQLException {
            room(20);
            if (v < 0) {
                buf[pos++] = '-';
                v = -v;
            }
            int start = pos;
            do {
                buf[pos++] = (byte) ('0' + (v % 10));
                v /= 10;
            } while (v != 0);
            // digits were written lowest first
            for (int i = start, j = pos - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }
    }

    static void appendValue(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("\\N");
        } else if (v instanceof String s) {
            escape(sb, s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof BigDecimal b) {
            sb.append(b.toPlainString());
        } else if (v instanceof Boolean b) {
            sb.append(b ? 't' : 'f');
        } else if (v instanceof byte[] bytes) {
            sb.append("\\\\x");
            for (byte x : bytes) {
                sb.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
            }
        } else if (v instanceof ZonedDateTime z) {
            sb.append(z.toOffsetDateTime());
        } else if (v instanceof Instant i) {
            sb.append(i);
        } else if (v instanceof Duration d) {
            sb.append(PgDriverSupport.interval(d).getValue());
        } else if (v instanceof Enum<?> e) {
            escape(sb, e.name());
        } else if (v instanceof Collection<?> c) {
            StringBuilder arr = new StringBuilder();
            appendArray(arr, c);
            escape(sb, arr.toString());
        } else if (v.getClass().isArray()) {
            List<Object> list = new java.util.ArrayList<>();
            int n = java.lang.reflect.Array.getLength(v);
            for (int i = 0; i < n; i++) {
                list.add(java.lang.reflect.Array.get(v, i));
            }
            StringBuilder arr = new StringBuilder();
            appendArray(arr, list);
            escape(sb, arr.toString());
        } else {
            escape(sb, v.toString());
        }
    }

    /** Writes a PostgreSQL array literal: {@code {"a","b\"c",NULL}}. */
    private static void appendArray(StringBuilder sb, Collection<?> c) {
        sb.append('{');
        boolean first = true;
        for (Object e : c) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            if (e == null) {
                sb.append("NULL");
            } else if (e instanceof Collection<?> inner) {
                appendArray(sb, inner);
            } else {
                StringBuilder one = new StringBuilder();
                appendValue(one, e);
                String text = unescapeCopy(one.toString());
                sb.append('"');
                for (int i = 0; i < text.length(); i++) {
                    char ch = text.charAt(i);
                    if (ch == '"' || ch == '\\') {
                        sb.append('\\');
                    }
                    sb.append(ch);
                }
                sb.append('"');
            }
        }
        sb.append('}');
    }

    /** Undoes {@link #escape} for a single element rendered by {@link #appendValue}. */
    static String unescapeCopy(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(
                        switch (n) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> n;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** COPY text escaping: backslash, newline, carriage return and tab. */
    static void escape(StringBuilder sb, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            char letter = escapeLetter(c);
            if (letter == 0) {
                sb.append(c);
            } else {
                sb.append('\\').append(letter);
            }
        }
    }

    /** The letter COPY text writes after a backslash for {@code c}, or 0 when {@code c} stands as is. */
    private static char escapeLetter(int c) {
        return switch (c) {
            case '\\' -> '\\';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            default -> 0;
        };
    }
}
