package dev.vtdb.examples;

import dev.vtdb.Row;
import java.util.Collection;
import java.util.Map;

/**
 * Prints Java values the way the article's Python prints them, so the two outputs can be read
 * side by side: {@link #str(Object)} is Python's {@code str()} (what {@code print} shows), {@link
 * #repr(Object)} is {@code repr()} ({@code 'text'}, {@code None}, {@code True}, {@code {'id': 1}},
 * {@code [..]}, {@code ('id', 1)} for a map entry, a {@link Row} as asyncpg's {@code <Record ...>})
 * and {@link
 * #pformat(Object)} is {@code pprint.pformat()}, breaking a list or dict one element per line
 * when it is wider than 80 columns. Unlike pprint, dict keys keep their column order.
 */
public final class Py {
    private static final int WIDTH = 80;

    private Py() {}

    /**
     * Renders a value as Python's {@code str()} would, which is what {@code print(x)} shows: text
     * as is, {@code None} for null, everything else as {@link #repr(Object)}.
     *
     * @param value any value
     * @return the text {@code print} would show
     */
    public static String str(Object value) {
        return value instanceof CharSequence s ? s.toString() : repr(value);
    }

    /**
     * Renders a value as Python's {@code print(a, b, ...)}: each as {@link #str(Object)}, joined by
     * one space.
     *
     * @param values the values
     * @return the line {@code print} would show
     */
    public static String print(Object... values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(sb.isEmpty() ? "" : " ").append(str(v));
        }
        return sb.toString();
    }

    /**
     * Renders a value as Python's {@code repr()} would.
     *
     * @param value a string, number, boolean, null, map, collection, map entry or row
     * @return the Python-style text
     */
    public static String repr(Object value) {
        StringBuilder sb = new StringBuilder();
        repr(value, sb);
        return sb.toString();
    }

    private static void repr(Object v, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("None");
            case Boolean b -> sb.append(b ? "True" : "False");
            case CharSequence s -> quote(s.toString(), sb);
            case Character c -> quote(c.toString(), sb);
            case Row row -> sb.append(row);
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    sb.append(first ? "" : ", ");
                    first = false;
                    repr(e.getKey(), sb);
                    sb.append(": ");
                    repr(e.getValue(), sb);
                }
                sb.append('}');
            }
            case Map.Entry<?, ?> e -> {
                sb.append('(');
                repr(e.getKey(), sb);
                sb.append(", ");
                repr(e.getValue(), sb);
                sb.append(')');
            }
            case Collection<?> list -> {
                sb.append('[');
                boolean first = true;
                for (Object o : list) {
                    sb.append(first ? "" : ", ");
                    first = false;
                    repr(o, sb);
                }
                sb.append(']');
            }
            default -> sb.append(v);
        }
    }

    private static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        sb.append(q);
    }

    /**
     * Renders a value as Python's {@code pprint.pformat()}: on one line when it fits in 80
     * columns, else one list element or dict item per line, recursively.
     *
     * @param value the value
     * @return the formatted text, without a trailing newline
     */
    public static String pformat(Object value) {
        StringBuilder sb = new StringBuilder();
        pformat(value, 0, 0, sb);
        return sb.toString();
    }

    private static void pformat(Object v, int indent, int allowance, StringBuilder sb) {
        String flat = repr(v);
        if (flat.length() <= WIDTH - indent - allowance) {
            sb.append(flat);
            return;
        }
        if (v instanceof Map<?, ?> map && !map.isEmpty()) {
            sb.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (i > 0) {
                    sb.append(",\n").append(" ".repeat(indent + 1));
                }
                String key = repr(e.getKey()) + ": ";
                sb.append(key);
                boolean last = ++i == map.size();
                pformat(e.getValue(), indent + 1 + key.length(), last ? allowance + 1 : 1, sb);
            }
            sb.append('}');
        } else if (v instanceof Collection<?> list && !list.isEmpty()) {
            sb.append('[');
            int i = 0;
            for (Object o : list) {
                if (i > 0) {
                    sb.append(",\n").append(" ".repeat(indent + 1));
                }
                boolean last = ++i == list.size();
                pformat(o, indent + 1, last ? allowance + 1 : 1, sb);
            }
            sb.append(']');
        } else {
            sb.append(flat);
        }
    }
}
