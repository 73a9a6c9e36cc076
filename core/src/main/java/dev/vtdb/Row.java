package dev.vtdb;

import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable, ordered result row: asyncpg's {@code Record}, aiomysql's {@code RowProxy}.
 *
 * <p>Values are reachable by column label ({@link #get(String)}) and by position ({@link
 * #get(int)}); when two columns share a label, {@code get(String)} returns the first and the
 * others stay reachable by index. {@link #keys()}, {@link #values()}, {@link #items()} and {@link
 * #toMap()} mirror Python's {@code keys()}, {@code values()}, {@code items()} and {@code dict(row)}.
 */
public final class Row {

    /** Column labels of one result, shared by all of its rows. */
    public static final class Columns {
        private static final int LINEAR_SCAN_MAX = 8;
        private final String[] labels;
        private final Map<String, Integer> index;

        private Columns(String[] labels) {
            this.labels = labels;
            // made once per query: narrow rows (most) skip the map and are searched by a scan
            Map<String, Integer> map = null;
            if (labels.length > LINEAR_SCAN_MAX) {
                map = new HashMap<>(labels.length * 2);
                for (int i = 0; i < labels.length; i++) {
                    map.putIfAbsent(labels[i], i);
                }
            } else {
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = canonical(labels[i]);
                }
            }
            this.index = map;
        }

        /**
         * The labels seen so far, each mapped to its interned instance: a label the caller writes as
         * a literal ({@code row.getInt("id")}) is then the very object in the row's columns, found by
         * one comparison. Bounded: past the bound (generated aliases), labels are compared by text.
         */
        private static final ConcurrentHashMap<String, String> CANONICAL = new ConcurrentHashMap<>();

        private static final int CANONICAL_MAX = 10_000;

        private static String canonical(String label) {
            if (label == null) {
                return null;
            }
            String c = CANONICAL.get(label);
            if (c == null) {
                if (CANONICAL.size() >= CANONICAL_MAX) {
                    return label;
                }
                c = label.intern();
                CANONICAL.putIfAbsent(label, c);
            }
            return c;
        }

        /**
         * Creates a column set.
         *
         * @param labels column labels in result order; duplicates allowed
         * @return the shared column set
         */
        public static Columns of(String... labels) {
            return new Columns(labels.clone());
        }

        /**
         * Creates a column set.
         *
         * @param labels column labels in result order; duplicates allowed
         * @return the shared column set
         */
        public static Columns of(List<String> labels) {
            return new Columns(labels.toArray(String[]::new));
        }

        /**
         * Returns the number of columns.
         *
         * @return the column count
         */
        public int size() {
            return labels.length;
        }

        /**
         * Returns the label at a position.
         *
         * @param i zero-based position
         * @return the label
         */
        public String label(int i) {
            return labels[i];
        }

        /**
         * Returns the position of the first column with this label.
         *
         * @param label the column label
         * @return its zero-based position, or -1
         */
        public int indexOf(String label) {
            if (index == null) {
                // cheaper than a map for the few columns most rows have: equal labels are the same
                // interned object, so the first identical one is the first equal one; kept small so
                // that a caller's loop inlines it
                String[] l = labels;
                for (int i = 0; i < l.length; i++) {
                    if (l[i] == label) {
                        return i;
                    }
                }
            }
            return indexOfText(label);
        }

        /** {@link #indexOf} for a label that is not the interned instance, or a wide row's. */
        private int indexOfText(String label) {
            if (index == null) {
                String[] l = labels;
                for (int i = 0; i < l.length; i++) {
                    if (Objects.equals(label, l[i])) {
                        return i;
                    }
                }
                return -1;
            }
            Integer i = index.get(label);
            return i == null ? -1 : i;
        }

        /**
         * Returns the labels in order.
         *
         * @return an unmodifiable list of labels
         */
        public List<String> labels() {
            return List.of(labels);
        }
    }

    private final Columns columns;
    private final Object[] values;

    private Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /**
     * Creates a row. The array is taken as is: callers hand over ownership.
     *
     * @param columns the result's column set
     * @param values one value per column, {@code null} for SQL NULL
     * @return the row
     * @throws IllegalArgumentException when the counts differ
     */
    public static Row of(Columns columns, Object[] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(
                    "row has " + values.length + " values but " + columns.size() + " columns " + columns.labels());
        }
        return new Row(columns, values);
    }

    /**
     * Returns the value of the first column with this label.
     *
     * @param column the column label
     * @return the value, {@code null} for SQL NULL
     * @throws IllegalArgumentException when no column has this label; the message lists the labels
     */
    public Object get(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw noColumn(column);
        }
        return values[i];
    }

    private IllegalArgumentException noColumn(String column) {
        return new IllegalArgumentException("no column '" + column + "' in row; columns are " + columns.labels());
    }

    /**
     * Returns the value of a column, or a default when the row has no such column (asyncpg's
     * {@code record.get(key, default)}). A column whose value is SQL NULL returns {@code null}.
     *
     * @param column the column label
     * @param defaultValue returned when the row has no such column
     * @return the value or the default
     */
    public Object get(String column, Object defaultValue) {
        int i = columns.indexOf(column);
        return i < 0 ? defaultValue : values[i];
    }

    /**
     * Returns the value at a position.
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row, naming its size
     */
    public Object get(int index) {
        Objects.checkIndex(index, values.length);
        return values[index];
    }

    /**
     * Returns a column's value converted to a type: numbers widen or narrow exactly (no silent
     * truncation), a {@code timestamptz}'s {@code OffsetDateTime} reads as an {@code Instant} (and an
     * {@code Instant} as an {@code OffsetDateTime} in UTC), any value converts to {@code String}, and a
     * primitive class ({@code int.class}) means its wrapper.
     *
     * @param column the column label
     * @param type the wanted type; {@code null} means "default to null", as {@code
     *     row.get("x", null)} reads in asyncpg
     * @param <T> the wanted type
     * @return the converted value, {@code null} for SQL NULL
     * @throws IllegalArgumentException when the column is missing
     * @throws VtdbException when the value cannot be converted, naming the column, the value's type
     *     and the wanted type
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String column, Class<T> type) {
        if (type == null) {
            // row.get("x", null) picks this overload: it means asyncpg's record.get("x", None)
            return (T) get(column, (Object) null);
        }
        Object v = get(column);
        // the common case stays small enough to inline into the caller's loop
        return v == null || type.isInstance(v) ? (T) v : convert(column, v, type);
    }

    /**
     * Returns the value at a position converted to a type, as {@link #get(String, Class)}.
     *
     * @param index zero-based column position
     * @param type the wanted type
     * @param <T> the wanted type
     * @return the converted value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be converted
     */
    @SuppressWarnings("unchecked")
    public <T> T get(int index, Class<T> type) {
        Object v = get(index);
        return v == null || type.isInstance(v) ? (T) v : convert(columns.label(index), v, type);
    }

    /**
     * Returns a column's value, or empty when the column is SQL NULL.
     *
     * @param column the column label
     * @return the value, if not NULL
     */
    public Optional<Object> find(String column) {
        return Optional.ofNullable(get(column));
    }

    /**
     * Returns a column as text.
     *
     * @param column the column label
     * @return the value's string form, {@code null} for SQL NULL
     */
    public String getString(String column) {
        return get(column, String.class);
    }

    /**
     * Returns the column at a position as text, as {@link #getString(String)} does by label (asyncpg's
     * {@code record[0]}).
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be read as this type
     */
    public String getString(int index) {
        return get(index, String.class);
    }

    /**
     * Returns a column as an {@code Integer}.
     *
     * @param column the column label
     * @return the value, {@code null} for SQL NULL
     */
    public Integer getInt(String column) {
        return get(column, Integer.class);
    }

    /**
     * Returns the column at a position as an {@code Integer}, as {@link #getInt(String)} does by label (asyncpg's
     * {@code record[0]}).
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be read as this type
     */
    public Integer getInt(int index) {
        return get(index, Integer.class);
    }

    /**
     * Returns a column as a {@code Long}.
     *
     * @param column the column label
     * @return the value, {@code null} for SQL NULL
     */
    public Long getLong(String column) {
        return get(column, Long.class);
    }

    /**
     * Returns the column at a position as a {@code Long}, as {@link #getLong(String)} does by label (asyncpg's
     * {@code record[0]}).
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be read as this type
     */
    public Long getLong(int index) {
        return get(index, Long.class);
    }

    /**
     * Returns a column as a {@code Double}.
     *
     * @param column the column label
     * @return the value, {@code null} for SQL NULL
     */
    public Double getDouble(String column) {
        return get(column, Double.class);
    }

    /**
     * Returns the column at a position as a {@code Double}, as {@link #getDouble(String)} does by label (asyncpg's
     * {@code record[0]}).
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be read as this type
     */
    public Double getDouble(int index) {
        return get(index, Double.class);
    }

    /**
     * Returns a column as a {@code BigDecimal}.
     *
     * @param column the column label
     * @return the value, {@code null} for SQL NULL
     */
    public BigDecimal getBigDecimal(String column) {
        return get(column, BigDecimal.class);
    }

    /**
     * Returns the column at a position as a {@code BigDecimal}, as {@link #getBigDecimal(String)} does by label (asyncpg's
     * {@code record[0]}).
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be read as this type
     */
    public BigDecimal getBigDecimal(int index) {
        return get(index, BigDecimal.class);
    }

    /**
     * Returns a column as a {@code Boolean} (numbers 0/1 accepted, as MySQL's TINYINT(1)).
     *
     * @param column the column label
     * @return the value, {@code null} for SQL NULL
     */
    public Boolean getBoolean(String column) {
        return get(column, Boolean.class);
    }

    /**
     * Returns the column at a position as a {@code Boolean}, as {@link #getBoolean(String)} does by label (asyncpg's
     * {@code record[0]}).
     *
     * @param index zero-based column position
     * @return the value, {@code null} for SQL NULL
     * @throws IndexOutOfBoundsException when the position is outside the row
     * @throws VtdbException when the value cannot be read as this type
     */
    public Boolean getBoolean(int index) {
        return get(index, Boolean.class);
    }

    /**
     * Returns the number of columns.
     *
     * @return the column count
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns the column labels in order, duplicates included.
     *
     * @return unmodifiable list of labels
     */
    public List<String> keys() {
        return columns.labels();
    }

    /**
     * Returns the values in column order.
     *
     * @return unmodifiable list of values; may contain {@code null}
     */
    public List<Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /**
     * Returns (label, value) pairs in column order, duplicates included.
     *
     * @return unmodifiable list of entries; values may be {@code null}
     */
    public List<Map.Entry<String, Object>> items() {
        List<Map.Entry<String, Object>> items = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            items.add(new SimpleImmutableEntry<>(columns.label(i), values[i]));
        }
        return Collections.unmodifiableList(items);
    }

    /**
     * Returns the row as an ordered map, like Python's {@code dict(row)}. When labels repeat, the
     * first column wins (the others stay reachable by index).
     *
     * @return a new, modifiable, insertion-ordered map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = LinkedHashMap.newLinkedHashMap(values.length);
        for (int i = 0; i < values.length; i++) {
            map.putIfAbsent(columns.label(i), values[i]);
        }
        return map;
    }

    /**
     * Returns the shared column set of this row's result.
     *
     * @return the columns
     */
    public Columns columns() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other
                && Arrays.equals(columns.labels, other.columns.labels)
                && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(columns.labels) + Arrays.deepHashCode(values);
    }

    /** Renders like asyncpg: {@code <Record id=1 name='十六夜咲夜' age=17>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Record");
        for (int i = 0; i < values.length; i++) {
            sb.append(' ').append(columns.label(i)).append('=');
            Object v = values[i];
            if (v == null) {
                sb.append("None");
            } else if (v instanceof Boolean b) {
                sb.append(b ? "True" : "False");
            } else if (v instanceof CharSequence || v instanceof Character) {
                appendPythonRepr(sb, v.toString());
            } else if (v instanceof byte[] bytes) {
                sb.append("b<").append(bytes.length).append(" bytes>");
            } else {
                sb.append(v);
            }
        }
        return sb.append('>').toString();
    }

    /** Quotes text as Python's {@code repr} does: single quotes unless it holds one and no double quote. */
    private static void appendPythonRepr(StringBuilder sb, String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        sb.append(quote);
    }

    @SuppressWarnings("unchecked")
    private static <T> T convert(String column, Object v, Class<T> type) {
        Class<?> wanted = type.isPrimitive() ? wrapper(type) : type;
        if (v == null || wanted.isInstance(v)) {
            return (T) v;
        }
        return (T) convertOther(column, v, wanted);
    }

    /** The wrapper of a primitive class: what {@code get("id", int.class)} returns. */
    private static Class<?> wrapper(Class<?> primitive) {
        return MethodType.methodType(primitive).wrap().returnType();
    }

    private static Object convertOther(String column, Object v, Class<?> type) {
        try {
            if (type == String.class) {
                return (v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString());
            }
            if (v instanceof Number n) {
                Object r = convertNumber(n, type);
                if (r != null) {
                    return r;
                }
            }
            if (type == Boolean.class && v instanceof Number n) {
                return Boolean.valueOf(n.intValue() != 0);
            }
            if (type == Instant.class && v instanceof OffsetDateTime o) {
                return o.toInstant();
            }
            if (type == Instant.class && v instanceof ZonedDateTime z) {
                return z.toInstant();
            }
            if (type == OffsetDateTime.class && v instanceof Instant i) {
                return i.atOffset(ZoneOffset.UTC);
            }
        } catch (ArithmeticException e) {
            // the value itself stays out of the message, as bound values do
            throw new VtdbException(
                    "column '" + column + "' holds a " + v.getClass().getName() + " that does not fit "
                            + type.getName(),
                    e);
        }
        throw new VtdbException("column '" + column + "' holds " + v.getClass().getName() + ", which cannot be read as "
                + type.getName());
    }

    private static Object convertNumber(Number n, Class<?> type) {
        BigDecimal d = n instanceof BigDecimal bd
                ? bd
                : n instanceof BigInteger bi
                        ? new BigDecimal(bi)
                        : (n instanceof Double || n instanceof Float)
                                ? BigDecimal.valueOf(n.doubleValue())
                                : BigDecimal.valueOf(n.longValue());
        if (type == Integer.class) {
            return d.intValueExact();
        } else if (type == Long.class) {
            return d.longValueExact();
        } else if (type == Short.class) {
            return d.shortValueExact();
        } else if (type == Double.class) {
            return n.doubleValue();
        } else if (type == Float.class) {
            return n.floatValue();
        } else if (type == BigDecimal.class) {
            return d;
        } else if (type == BigInteger.class) {
            return d.toBigIntegerExact();
        }
        return null;
    }
}
