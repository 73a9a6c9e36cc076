package dev.vtdb.postgres.internal;

import dev.vtdb.VtdbException;
import dev.vtdb.internal.DriverSupport;
import dev.vtdb.internal.SqlParser;
import dev.vtdb.sql.Dialect;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * pgjdbc specifics: value mapping both ways, SQLSTATEs, cursors (which need a transaction),
 * status strings, error positions.
 *
 * <p>Reading: smallint and int give {@link Integer}, bigint {@link Long}, numeric {@link
 * BigDecimal}, real {@link Float}, double {@link Double}, date/time/timestamp {@link LocalDate}/
 * {@link LocalTime}/{@link LocalDateTime}, timetz {@link OffsetTime}, timestamptz {@link
 * OffsetDateTime} in UTC, interval {@link Duration} (a month counts 30 days, a year 365.25 days, as
 * asyncpg's timedelta), json/jsonb/enums/other types their text, arrays an unmodifiable {@link
 * List} (nested for multi-dimensional arrays).
 *
 * <p>Binding: java.time values, {@link Instant} (as timestamptz), {@link ZonedDateTime}, {@link
 * Duration} and {@link Period} (as interval), {@link UUID}, {@code byte[]}, {@link BigInteger},
 * Java enums (sent untyped, so the server casts them to the column's enum), and {@link Collection}s
 * or Java arrays (as PostgreSQL arrays whose element type is inferred from the elements).
 */
public final class PgDriverSupport extends DriverSupport {
    private final String server;

    /**
     * Creates the support.
     *
     * @param server description of the server for messages, without secrets
     * @param pipelineLimit how many queued reads of one statement may share a round trip (1: none)
     */
    public PgDriverSupport(String server, int pipelineLimit) {
        super(pipelineLimit);
        this.server = server;
    }

    @Override
    public String shortName() {
        return "pg";
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRES;
    }

    @Override
    public SqlParser.Flavor sqlFlavor() {
        return SqlParser.Flavor.POSTGRES;
    }

    @Override
    public String describeServer() {
        return server;
    }

    // ---- binding ----

    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Instant i) {
            ps.setObject(index, i.atOffset(ZoneOffset.UTC));
        } else if (value instanceof ZonedDateTime z) {
            ps.setObject(index, z.toOffsetDateTime());
        } else if (value instanceof Duration d) {
            ps.setObject(index, interval(d));
        } else if (value instanceof Period p) {
            ps.setObject(index, new PGInterval(p.getYears(), p.getMonths(), p.getDays(), 0, 0, 0));
        } else if (value instanceof BigInteger b) {
            ps.setBigDecimal(index, new BigDecimal(b));
        } else if (value instanceof Enum<?> e) {
            ps.setObject(index, e.name(), Types.OTHER);
        } else if (value instanceof Character c) {
            ps.setString(index, c.toString());
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else if (value instanceof Collection<?> c) {
            ps.setArray(index, array(ps.getConnection(), new ArrayList<>(c)));
        } else if (value.getClass().isArray()) {
            ps.setArray(index, array(ps.getConnection(), arrayToList(value)));
        } else {
            ps.setObject(index, value);
        }
    }

    static PGInterval interval(Duration d) {
        long seconds = d.getSeconds();
        long days = seconds / 86_400;
        long rest = seconds % 86_400;
        int hours = (int) (rest / 3600);
        int minutes = (int) (rest % 3600 / 60);
        double secs = rest % 60 + d.getNano() / 1e9;
        if (days > Integer.MAX_VALUE) {
            throw new VtdbException("Duration " + d + " is too long for a PostgreSQL interval");
        }
        return new PGInterval(0, 0, (int) days, hours, minutes, secs);
    }

    private static List<Object> arrayToList(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(java.lang.reflect.Array.get(array, i));
        }
        return list;
    }

    private static java.sql.Array array(Connection c, List<Object> elements) throws SQLException {
        Class<?> type = null;
        for (Object e : elements) {
            if (e == null) {
                continue;
            }
            Class<?> t = e.getClass();
            if (type == null) {
                type = t;
            } else if (!type.equals(t) && !(Enum.class.isAssignableFrom(type) && Enum.class.isAssignableFrom(t))) {
                throw new VtdbException("array parameter mixes element types " + type.getSimpleName() + " and "
                        + t.getSimpleName() + "; use one type");
            }
        }
        String pgType = type == null ? "text" : elementType(type);
        Object[] values = new Object[elements.size()];
        for (int i = 0; i < values.length; i++) {
            Object e = elements.get(i);
            if (e instanceof Instant instant) {
                e = instant.atOffset(ZoneOffset.UTC);
            } else if (e instanceof ZonedDateTime z) {
                e = z.toOffsetDateTime();
            } else if (e instanceof Enum<?> en) {
                e = en.name();
            } else if (e instanceof Character ch) {
                e = ch.toString();
            } else if (e instanceof BigInteger b) {
                e = new BigDecimal(b);
            } else if (e instanceof Duration d) {
                e = interval(d).getValue();
            } else if (e instanceof Collection<?> || (e != null && e.getClass().isArray() && !(e instanceof byte[]))) {
                throw new VtdbException("nested collections are not supported as array parameters; pass a"
                        + " one-dimensional list or a Java multi-dimensional array of a simple type via a cast");
            }
            values[i] = e;
        }
        return c.createArrayOf(pgType, values);
    }

    static String elementType(Class<?> t) {
        if (t == String.class || t == Character.class || Enum.class.isAssignableFrom(t)) {
            return "text";
        } else if (t == Integer.class) {
            return "int4";
        } else if (t == Long.class) {
            return "int8";
        } else if (t == Short.class || t == Byte.class) {
            return "int2";
        } else if (t == BigDecimal.class || t == BigInteger.class) {
            return "numeric";
        } else if (t == Double.class) {
            return "float8";
        } else if (t == Float.class) {
            return "float4";
        } else if (t == Boolean.class) {
            return "bool";
        } else if (t == UUID.class) {
            return "uuid";
        } else if (t == LocalDate.class) {
            return "date";
        } else if (t == LocalTime.class) {
            return "time";
        } else if (t == LocalDateTime.class) {
            return "timestamp";
        } else if (t == OffsetDateTime.class || t == Instant.class || t == ZonedDateTime.class) {
            return "timestamptz";
        } else if (t == OffsetTime.class) {
            return "timetz";
        } else if (t == byte[].class) {
            return "bytea";
        } else if (t == Duration.class) {
            return "interval";
        }
        throw new VtdbException("cannot infer a PostgreSQL array element type for " + t.getName()
                + "; pass a java.sql.Array made with connection().createArrayOf(...)");
    }

    // ---- reading ----

    @Override
    public ColumnReader reader(ResultSetMetaData md, int column) throws SQLException {
        String type = md.getColumnTypeName(column);
        return switch (type) {
            case "timestamptz" -> (rs, c) -> rs.getObject(c, OffsetDateTime.class);
            case "timestamp" -> (rs, c) -> rs.getObject(c, LocalDateTime.class);
            case "date" -> (rs, c) -> rs.getObject(c, LocalDate.class);
            case "time" -> (rs, c) -> rs.getObject(c, LocalTime.class);
            case "timetz" -> (rs, c) -> rs.getObject(c, OffsetTime.class);
            case "json", "jsonb", "bpchar", "text", "varchar" -> ColumnReader.TEXT;
            // the types pgjdbc's getObject returns as Integer, Long, Double, Float and Boolean, read
            // without its per-call type lookup
            case "int4", "int2" -> ColumnReader.INT;
            case "int8" -> ColumnReader.LONG;
            case "float8" ->
                (rs, c) -> {
                    double v = rs.getDouble(c);
                    return v == 0 && rs.wasNull() ? null : Double.valueOf(v);
                };
            case "float4" ->
                (rs, c) -> {
                    float v = rs.getFloat(c);
                    return v == 0 && rs.wasNull() ? null : Float.valueOf(v);
                };
            case "bool" ->
                (rs, c) -> {
                    boolean v = rs.getBoolean(c);
                    return !v && rs.wasNull() ? null : Boolean.valueOf(v);
                };
            case "interval" -> (rs, c) -> duration(rs.getObject(c));
            default ->
                (rs, c) -> {
                    Object v = rs.getObject(c);
                    if (v instanceof PGInterval i) {
                        return duration(i);
                    }
                    if (v instanceof PGobject o) {
                        return o.getValue();
                    }
                    if (v instanceof java.sql.Array a) {
                        try {
                            return arrayList(a);
                        } finally {
                            a.free();
                        }
                    }
                    return normalize(v);
                };
        };
    }

    static Duration duration(Object v) {
        if (v == null) {
            return null;
        }
        PGInterval i = (PGInterval) v;
        long months = i.getYears() * 12L + i.getMonths();
        long micros = Math.round(i.getSeconds() * 1_000_000);
        return Duration.ofDays(months * 30 + i.getDays())
                .plusHours(i.getHours())
                .plusMinutes(i.getMinutes())
                .plusNanos(micros * 1000);
    }

    /**
     * An array's elements as the same type's column reads: by the element type, since {@code
     * getArray} gives dates and times as {@code java.sql} types ({@code timestamptz} without its
     * offset, {@code time} without its fractions) and {@code smallint} as {@code Short}.
     */
    private static List<Object> arrayList(java.sql.Array a) throws SQLException {
        Class<?> element = switch (a.getBaseTypeName()) {
            case "timestamptz" -> OffsetDateTime.class;
            case "timestamp" -> LocalDateTime.class;
            case "date" -> LocalDate.class;
            case "time" -> LocalTime.class;
            case "timetz" -> OffsetTime.class;
            default -> null;
        };
        return element == null ? toList(a.getArray()) : elements(a, element);
    }

    /** The elements read one by one as {@code type}, each dimension of a multi-dimensional array a list. */
    private static List<Object> elements(java.sql.Array a, Class<?> type) throws SQLException {
        List<Object> list = new ArrayList<>();
        try (java.sql.ResultSet rs = a.getResultSet()) {
            while (rs.next()) {
                Object v = rs.getObject(2);
                if (v instanceof java.sql.Array inner) {
                    try {
                        list.add(elements(inner, type));
                    } finally {
                        inner.free();
                    }
                } else {
                    list.add(v == null ? null : rs.getObject(2, type));
                }
            }
        }
        return Collections.unmodifiableList(list);
    }

    private static List<Object> toList(Object array) throws SQLException {
        int n = java.lang.reflect.Array.getLength(array);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object e = java.lang.reflect.Array.get(array, i);
            if (e != null && e.getClass().isArray() && !(e instanceof byte[])) {
                list.add(toList(e));
            } else if (e instanceof PGInterval pi) {
                list.add(duration(pi));
            } else if (e instanceof PGobject o) {
                list.add(o.getValue());
            } else if (e instanceof Short sh) {
                list.add(sh.intValue()); // as a smallint column reads
            } else {
                list.add(normalize(e));
            }
        }
        return Collections.unmodifiableList(list);
    }

    // ---- statements ----

    /** The server's command tag for the statement (pgjdbc keeps only its row count): {@link PgCommandTag}. */
    @Override
    public String status(String sql, long rowCount) {
        return PgCommandTag.of(sql, rowCount);
    }

    /**
     * The schema where the server finds the table: the first on the search path ({@code
     * current_schemas(true)}, {@code pg_temp} and {@code pg_catalog} included) holding it, as an
     * unqualified name in a statement resolves; the current schema when none does.
     */
    @Override
    public String tableSchema(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(?))")) {
            ps.setString(1, table);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        return connection.getSchema();
    }

    @Override
    public boolean endServerTransaction(Connection connection) throws SQLException {
        if (connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE) {
            return false;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        }
        return true;
    }

    @Override
    public PreparedStatement prepareUpdate(Connection connection, String sql, List<String> keyColumns)
            throws SQLException {
        if (!keyColumns.isEmpty()) {
            return connection.prepareStatement(sql, keyColumns.toArray(String[]::new));
        }
        return connection.prepareStatement(sql, Statement.NO_GENERATED_KEYS);
    }

    @Override
    public void prepareCursor(Connection connection, PreparedStatement ps, int fetchSize) throws SQLException {
        ps.setFetchSize(fetchSize);
    }

    @Override
    public boolean cursorNeedsTransaction() {
        return true;
    }

    /**
     * A stream outside a transaction, without arguments, reads {@code COPY (query) TO STDOUT (FORMAT
     * binary)} when every column has a type {@link PgCopyRows} decodes: the server sends the rows
     * without stopping for each chunk a cursor asks for. One round trip more than a cursor (the
     * query is described first to learn its column types).
     */
    @Override
    public RowSource openStream(Connection connection, String sql) throws SQLException {
        String body = PgDatabaseImpl.copyBody(sql);
        PgCopyRows rows = PgCopyRows.describe(connection, body);
        return rows == null ? null : rows.start(this, connection, body);
    }

    @Override
    public void setDeferrable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET TRANSACTION DEFERRABLE");
        }
    }

    // ---- errors ----

    /** The connections running a COPY now (see {@link #copyStarts}). */
    private final Set<Connection> copying = ConcurrentHashMap.newKeySet();

    /**
     * Marks a connection as running a COPY until {@link #copyEnded}, so that a deadline or a cancel
     * reaches it ({@link #cancelConnection}).
     *
     * @param connection the session's connection
     */
    void copyStarts(Connection connection) {
        copying.add(connection);
    }

    /**
     * Ends {@link #copyStarts}.
     *
     * @param connection the session's connection
     */
    void copyEnded(Connection connection) {
        copying.remove(connection);
    }

    /**
     * COPY runs outside any statement: pgjdbc's connection-level cancel request reaches it. Sent
     * only while the connection runs a COPY, not for every call cancelled in its own code, and once.
     */
    @Override
    public void cancelConnection(Connection connection) throws SQLException {
        // once per COPY: each cancel request that finds the COPY ended could stop the next statement
        if (copying.remove(connection)) {
            connection.unwrap(PGConnection.class).cancelQuery();
        }
    }

    @Override
    public boolean isCancellation(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    @Override
    public boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        // 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now
        return super.isConnectionError(e) || "57P01".equals(state) || "57P02".equals(state) || "57P03".equals(state);
    }

    @Override
    public String constraintName(SQLException e) {
        ServerErrorMessage m = serverMessage(e);
        return m == null ? null : m.getConstraint();
    }

    /** Adds the 1-based character position PostgreSQL reports for syntax errors. */
    @Override
    public String errorMessage(SQLException e) {
        String text = super.errorMessage(e);
        ServerErrorMessage m = serverMessage(e);
        if (m != null && m.getPosition() > 0 && !text.contains("Position")) {
            text = text + " (at character " + m.getPosition() + ")";
        }
        return text;
    }

    private static ServerErrorMessage serverMessage(SQLException e) {
        return e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    }
}
