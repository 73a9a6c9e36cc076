package dev.vtdb.postgres.internal;

import dev.vtdb.VtdbException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import org.postgresql.copy.CopyIn;

/** Encodes rows as COPY text format and streams them through a {@link CopyIn} in 64 KiB chunks. */
final class PgCopy {
    private static final int CHUNK_CHARS = 1 << 16;
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

    /** Writes every record to the COPY and ends it; returns the row count the server reports. */
    static long writeRecords(CopyIn copy, List<? extends List<?>> records, int columns) throws SQLException {
        int[] identity = new int[columns];
        for (int c = 0; c < columns; c++) {
            identity[c] = c;
        }
        return writeRecords(copy, records, columns, identity);
    }

    /**
     * Writes every record to the COPY and ends it, column {@code c} taking the record's value at
     * {@code valueIndex[c]}; returns the row count the server reports.
     */
    static long writeRecords(CopyIn copy, List<? extends List<?>> records, int width, int[] valueIndex)
            throws SQLException {
        StringBuilder sb = new StringBuilder(CHUNK_CHARS + 1024);
        int rowNo = 0;
        int columns = valueIndex.length;
        for (List<?> record : records) {
            rowNo++;
            if (record == null || record.size() != width) {
                throw new VtdbException("copyRecordsToTable record " + rowNo + " has "
                        + (record == null ? "no" : String.valueOf(record.size())) + " values but " + width
                        + " columns were given");
            }
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    sb.append('\t');
                }
                appendValue(sb, record.get(valueIndex[c]));
            }
            sb.append('\n');
            if (sb.length() >= CHUNK_CHARS) {
                flush(copy, sb);
            }
        }
        flush(copy, sb);
        return copy.endCopy();
    }

    private static void flush(CopyIn copy, StringBuilder sb) throws SQLException {
        if (sb.length() > 0) {
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            sb.setLength(0);
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
    private static String unescapeCopy(String s) {
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
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
    }
}
