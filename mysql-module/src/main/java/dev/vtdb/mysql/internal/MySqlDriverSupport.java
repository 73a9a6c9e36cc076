package dev.vtdb.mysql.internal;

import com.mysql.cj.NativeSession;
import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.protocol.ServerSession;
import dev.vtdb.internal.DriverSupport;
import dev.vtdb.internal.SqlParser;
import dev.vtdb.sql.Dialect;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connector/J specifics for MySQL and MariaDB: generated keys of INSERT/REPLACE (LAST_INSERT_ID
 * first), server-side cursors, error codes of lost connections, cancelled statements and
 * constraint violations, and {@code TIMESTAMP} read as an instant.
 */
public final class MySqlDriverSupport extends DriverSupport {
    /** Connection lost or killed: server gone (2006), lost (2013), killed (MariaDB 1927), shutdown (1053). */
    private static final Set<Integer> CONNECTION_ERRORS =
            Set.of(1053, 1077, 1152, 1153, 1927, 2002, 2003, 2006, 2013, 2055, 4031);

    /** {@code Duplicate entry 'x' for key 'girl.name'} (MySQL 8 prefixes the table) or {@code 'name'}. */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("for key '((?:[^'\\\\]|\\\\.|'')*)'\\s*$");

    /** {@code ... CONSTRAINT `fk_x` FOREIGN KEY ...} (1451/1452), {@code CONSTRAINT `chk` failed} (MariaDB 4025). */
    private static final Pattern NAMED_CONSTRAINT = Pattern.compile("CONSTRAINT [`']((?:[^`']|``)*)[`']");

    /** MySQL 3819: {@code Check constraint 'chk' is violated.} */
    private static final Pattern CHECK_CONSTRAINT = Pattern.compile("[Cc]heck constraint '([^']*)' is violated");

    private static final DateTimeFormatter DATETIME_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    /** Shared reads run in one read-only transaction: a failure commits nothing, and nothing can write. */
    private static final String SHARED_BEGIN = "START TRANSACTION READ ONLY;";

    private static final String SHARED_END = ";COMMIT";

    private final String server;
    private final ZoneId sessionZone;
    private volatile Boolean mariaDb;

    /**
     * Creates the support, with reads never shared.
     *
     * @param server description of the server for messages, without secrets
     * @param sessionZone the session time zone instants are converted to
     */
    public MySqlDriverSupport(String server, ZoneId sessionZone) {
        this(server, sessionZone, 1);
    }

    /**
     * Creates the support.
     *
     * @param server description of the server for messages, without secrets
     * @param sessionZone the session time zone instants are converted to
     * @param pipelineLimit how many queued reads of one statement may share a round trip (1: none)
     */
    public MySqlDriverSupport(String server, ZoneId sessionZone, int pipelineLimit) {
        super(pipelineLimit);
        this.server = server;
        this.sessionZone = sessionZone;
    }

    /** Shared reads go through Connector/J's text protocol, which prints FLOAT with six digits. */
    @Override
    public boolean pipelineVetsColumns() {
        return true;
    }

    @Override
    public boolean sharesColumns(ResultSetMetaData md) throws SQLException {
        for (int i = 1, n = md.getColumnCount(); i <= n; i++) {
            int type = md.getColumnType(i);
            if (type == Types.REAL || type == Types.FLOAT) {
                return false;
            }
        }
        return true;
    }

    /**
     * Multi-statements on at the server ({@code COM_SET_OPTION}), as Connector/J itself does around
     * a batch it rewrites; {@code allowMultiQueries} stays off. A connection opened with {@code
     * allowMultiQueries=true} (a driver property the user set) has them on already and is left so.
     */
    @Override
    public void startPipelining(Connection connection) throws SQLException {
        setMultiStatements(connection, true);
    }

    @Override
    public void stopPipelining(Connection connection) throws SQLException {
        setMultiStatements(connection, false);
    }

    private static void setMultiStatements(Connection connection, boolean on) throws SQLException {
        JdbcConnection c = connection.unwrap(JdbcConnection.class);
        if (c.getPropertySet().getBooleanProperty(PropertyKey.allowMultiQueries).getValue()) {
            return;
        }
        try {
            NativeSession session = (NativeSession) c.getSession();
            if (on) {
                session.enableMultiQueries();
            } else {
                session.disableMultiQueries();
            }
        } catch (CJException e) {
            throw SQLExceptionsMapping.translateException(e);
        }
    }

    /**
     * The reads between {@code START TRANSACTION READ ONLY} and {@code COMMIT}, as a client-side
     * prepared statement: Connector/J escapes each value into the text (a server-side prepare
     * takes one statement only).
     */
    @Override
    public PreparedStatement preparePipelined(Connection connection, String sql, int count) throws SQLException {
        return connection
                .unwrap(JdbcConnection.class)
                .clientPrepareStatement(repeat(sql, count, SHARED_BEGIN) + SHARED_END);
    }

    @Override
    public int pipelineLeadingResults() {
        return 1;
    }

    /** The failed statement ended the text: its transaction is still open. */
    @Override
    public void pipelineFailed(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        }
    }

    /**
     * Binds a value; on MariaDB temporal values with fractional seconds are sent as text.
     * MariaDB introduces itself as {@code 5.5.5-10.x.y-MariaDB}, so Connector/J believes the
     * server predates fractional seconds (MySQL 5.6.4) and drops them from bound {@code
     * LocalDateTime}, {@code LocalTime}, {@code OffsetDateTime} and {@code Instant} values; sent as
     * {@code 'yyyy-MM-dd HH:mm:ss.ffffff'} in the session time zone they keep their microseconds.
     */
    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof TemporalAccessor t && hasFraction(t) && isMariaDb(ps)) {
            String text = switch (value) {
                case LocalDateTime ldt -> DATETIME_MICROS.format(ldt);
                case LocalTime lt -> TIME_MICROS.format(lt);
                case OffsetDateTime odt -> DATETIME_MICROS.format(odt.atZoneSameInstant(sessionZone));
                case ZonedDateTime zdt -> DATETIME_MICROS.format(zdt.withZoneSameInstant(sessionZone));
                case Instant i -> DATETIME_MICROS.format(i.atZone(sessionZone));
                default -> null;
            };
            if (text != null) {
                ps.setString(index, text);
                return;
            }
        }
        if (value instanceof java.sql.Timestamp ts && ts.getNanos() % 1_000_000_000 != 0 && isMariaDb(ps)) {
            ps.setString(index, DATETIME_MICROS.format(ts.toLocalDateTime()));
            return;
        }
        super.bind(ps, index, value);
    }

    private static boolean hasFraction(TemporalAccessor t) {
        return t.isSupported(ChronoField.NANO_OF_SECOND) && t.get(ChronoField.NANO_OF_SECOND) != 0;
    }

    private boolean isMariaDb(PreparedStatement ps) throws SQLException {
        Boolean known = mariaDb;
        if (known == null) {
            String version = ps.getConnection().getMetaData().getDatabaseProductVersion();
            known = version != null
                    && version.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
            mariaDb = known;
        }
        return known;
    }

    @Override
    public String shortName() {
        return "mysql";
    }

    @Override
    public Dialect dialect() {
        return Dialect.MYSQL;
    }

    @Override
    public SqlParser.Flavor sqlFlavor() {
        return SqlParser.Flavor.MYSQL;
    }

    @Override
    public String describeServer() {
        return server;
    }

    @Override
    public ColumnReader reader(ResultSetMetaData md, int column) throws SQLException {
        if (md.getColumnType(column) == Types.TIMESTAMP && "TIMESTAMP".equalsIgnoreCase(md.getColumnTypeName(column))) {
            // TIMESTAMP is an instant (stored in UTC, shown in the session time zone): read it as one.
            return (rs, c) -> {
                OffsetDateTime t = rs.getObject(c, OffsetDateTime.class);
                return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
            };
        }
        if (md.getColumnType(column) == Types.TIME) {
            // Connector/J reports TIME(n) with precision 10 + 1 + n (n > 0)
            int precision = md.getPrecision(column);
            int digits = precision > 10 ? precision - 11 : 0;
            return (rs, c) -> time(rs.getBytes(c), digits);
        }
        return super.reader(md, column);
    }

    /**
     * Decodes a {@code TIME} value from its wire form, the binary protocol's (sign, days, hours,
     * minutes, seconds, microseconds) or the text protocol's ({@code [-]H:MM:SS[.ffffff]}): a time
     * of day (00:00:00 to 23:59:59.999999) as a {@link LocalTime}, keeping its microseconds
     * ({@code java.sql.Time} has none); any other value (an interval: negative, or up to
     * 838:59:59) as its MySQL text, with {@code digits} fractional digits. Connector/J's own
     * decoding gets negative values wrong: {@code -25:00:01} reads as {@code -23:00:01} through the
     * binary protocol, and {@code -00:30:00.5} loses its sign through both.
     *
     * @param b the value's bytes, {@code null} for NULL
     * @param digits the column's fractional digits
     * @return a {@code LocalTime}, a {@code String} or {@code null}
     */
    static Object time(byte[] b, int digits) {
        if (b == null) {
            return null;
        }
        boolean negative;
        long hours;
        int minutes;
        int seconds;
        int micros;
        if (b.length == 0 || b[0] == 0 || b[0] == 1) {
            // binary protocol (text starts with '-' or a digit): 0, 8 or 12 bytes, little-endian
            if (b.length == 0) {
                return LocalTime.MIDNIGHT;
            }
            negative = b[0] == 1;
            hours = littleEndian(b, 1) * 24 + (b[5] & 0xff);
            minutes = b[6];
            seconds = b[7];
            micros = b.length >= 12 ? (int) littleEndian(b, 8) : 0;
        } else {
            String s = new String(b, StandardCharsets.US_ASCII);
            negative = s.charAt(0) == '-';
            int colon = s.indexOf(':');
            int colon2 = s.indexOf(':', colon + 1);
            int dot = s.indexOf('.', colon2);
            hours = Long.parseLong(s, negative ? 1 : 0, colon, 10);
            minutes = Integer.parseInt(s, colon + 1, colon2, 10);
            seconds = Integer.parseInt(s, colon2 + 1, dot < 0 ? s.length() : dot, 10);
            micros = 0;
            for (int i = dot < 0 ? s.length() : dot + 1, d = 0; d < 6; d++, i++) {
                micros = micros * 10 + (i < s.length() ? s.charAt(i) - '0' : 0);
            }
        }
        if (hours < 24 && (!negative || (hours == 0 && minutes == 0 && seconds == 0 && micros == 0))) {
            return LocalTime.of((int) hours, minutes, seconds, micros * 1000);
        }
        StringBuilder sb = new StringBuilder(20);
        if (negative) {
            sb.append('-');
        }
        if (hours < 10) {
            sb.append('0');
        }
        sb.append(hours).append(':');
        twoDigits(sb, minutes).append(':');
        twoDigits(sb, seconds);
        if (digits > 0) {
            String fraction = String.valueOf(1_000_000 + micros);
            sb.append('.').append(fraction, 1, 1 + Math.min(6, digits));
        }
        return sb.toString();
    }

    private static long littleEndian(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static StringBuilder twoDigits(StringBuilder sb, int v) {
        return (v < 10 ? sb.append('0') : sb).append(v);
    }

    /**
     * Asks for generated keys, so after an INSERT or REPLACE {@code lastInsertId()} is {@code
     * LAST_INSERT_ID()} (the first id of a multi-row insert, as aiomysql's {@code lastrowid}) and
     * {@code generatedKeys()} lists the id of every inserted row. Every statement asks (Connector/J
     * refuses {@code getGeneratedKeys()} otherwise); those that insert nothing report none.
     */
    @Override
    public PreparedStatement prepareUpdate(Connection connection, String sql, List<String> keyColumns)
            throws SQLException {
        return connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    private static final Pattern PLAIN_INSERT = Pattern.compile("(?is)\\s*INSERT\\b.*\\bVALUES?\\b.*");
    private static final Pattern INSERT_IGNORE =
            Pattern.compile("(?is)\\s*INSERT\\s+(?:(?:LOW_PRIORITY|HIGH_PRIORITY|DELAYED)\\s+)?IGNORE\\b.*");
    private static final Pattern ON_DUPLICATE = Pattern.compile("(?is).*\\bON\\s+DUPLICATE\\s+KEY\\b.*");

    /**
     * Counts each row of a plain {@code INSERT ... VALUES} batch as the one row it inserted:
     * Connector/J runs such a batch as multi-row INSERTs (rewriteBatchedStatements) and reports
     * {@link Statement#SUCCESS_NO_INFO} for every row, though without {@code IGNORE} or {@code ON
     * DUPLICATE KEY UPDATE} each row inserts exactly one row or the whole batch fails.
     */
    @Override
    public int[] batchCounts(String sql, int[] counts) {
        for (int c : counts) {
            if (c != Statement.SUCCESS_NO_INFO) {
                return counts;
            }
        }
        if (counts.length == 0
                || !PLAIN_INSERT.matcher(sql).matches()
                || INSERT_IGNORE.matcher(sql).matches()
                || ON_DUPLICATE.matcher(sql).matches()) {
            return counts;
        }
        int[] ones = new int[counts.length];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    /** Reads the server's own status flags, which Connector/J keeps from every OK packet. */
    @Override
    public boolean endServerTransaction(Connection connection) throws SQLException {
        ServerSession server =
                connection.unwrap(JdbcConnection.class).getSession().getServerSession();
        boolean autoCommitOff = !server.isAutocommit();
        if (!server.inTransactionOnServer() && !autoCommitOff) {
            return false;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
            if (autoCommitOff) {
                st.execute("SET autocommit = 1");
            }
        }
        return true;
    }

    /**
     * Puts the ids the rows gave themselves in their places: Connector/J counts its keys up from
     * the first generated id (the OK packet carries one id), so a row that gave its own id would get
     * a made-up one; the rows that did not are the ones the counted keys belong to, in order.
     */
    @Override
    public List<Object> insertedKeys(List<Object> generated, List<Object> supplied) throws SQLException {
        if (supplied.isEmpty()) {
            return generated;
        }
        List<Object> keys = new ArrayList<>(supplied.size());
        int next = 0;
        for (Object given : supplied) {
            if (given != null) {
                keys.add(normalize(given));
            } else if (next < generated.size()) {
                keys.add(generated.get(next++));
            }
        }
        return keys;
    }

    @Override
    public String status(String sql, long rowCount) {
        if (firstWord(sql).equals("REPLACE")) {
            return "REPLACE " + rowCount;
        }
        return super.status(sql, rowCount);
    }

    /** Turns on Connector/J's server-side cursor ({@code useCursorFetch=true} is set on every connection). */
    @Override
    public void prepareCursor(Connection connection, PreparedStatement ps, int fetchSize) throws SQLException {
        ps.setFetchSize(fetchSize);
    }

    /** Adds MySQL's refusals that carry a generic SQLSTATE: unknown database (1049), no access to it (1044). */
    @Override
    public boolean isPermanentConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && (e.getErrorCode() == 1049 || e.getErrorCode() == 1044)) {
                return true;
            }
        }
        return super.isPermanentConnectFailure(failure);
    }

    @Override
    public boolean isConnectionError(SQLException e) {
        return super.isConnectionError(e) || CONNECTION_ERRORS.contains(e.getErrorCode());
    }

    @Override
    public boolean isCancellation(SQLException e) {
        // 1317 ER_QUERY_INTERRUPTED (KILL QUERY), 3024 MAX_EXECUTION_TIME, 1969 MariaDB max_statement_time
        int code = e.getErrorCode();
        return super.isCancellation(e)
                || code == 1317
                || code == 3024
                || code == 1969
                || e.getClass().getSimpleName().equals("MySQLStatementCancelledException");
    }

    @Override
    public boolean isConstraintViolation(SQLException e) {
        int code = e.getErrorCode();
        return super.isConstraintViolation(e)
                || code == 1062
                || code == 1451
                || code == 1452
                || code == 1048
                || code == 1586
                || code == 3819
                || code == 4025;
    }

    /**
     * Reads the key or constraint name out of the server's message: {@code for key 'name'} of a
     * duplicate (1062; MySQL 8's {@code 'girl.name'} is reduced to {@code name}), {@code CONSTRAINT
     * `fk`} of a foreign key (1451/1452) or MariaDB check (4025), {@code Check constraint 'c'} of
     * MySQL (3819).
     */
    @Override
    public String constraintName(SQLException e) {
        String message = e.getMessage();
        if (message == null) {
            return null;
        }
        message = message.strip();
        Matcher m = DUPLICATE_KEY.matcher(message);
        if (m.find()) {
            String key = m.group(1);
            int dot = key.lastIndexOf('.');
            return dot >= 0 ? key.substring(dot + 1) : key;
        }
        m = NAMED_CONSTRAINT.matcher(message);
        if (m.find()) {
            return m.group(1).replace("``", "`");
        }
        m = CHECK_CONSTRAINT.matcher(message);
        if (m.find()) {
            return m.group(1);
        }
        return null;
    }

    /**
     * Returns the statement's first keyword in upper case, skipping blanks, comments and
     * parentheses.
     *
     * @param sql the statement
     * @return e.g. {@code INSERT}
     */
    static String firstWord(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i) || c == '#') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int j = i;
        while (j < n && Character.isLetter(sql.charAt(j))) {
            j++;
        }
        return sql.substring(i, j).toUpperCase(java.util.Locale.ROOT);
    }

    private static final java.util.regex.Pattern ROW_VALUE = java.util.regex.Pattern.compile(
            "(Duplicate entry |Incorrect [a-z ]+ value: |Truncated incorrect [A-Za-z ]+ value: )'(?:[^'\\\\]|\\\\.|'')*'");

    /**
     * Hides row values the server quotes in its messages ({@code Duplicate entry 'secret' for key
     * 'name'}), so exception messages carry the key or column but never the data.
     */
    @Override
    public String errorMessage(SQLException e) {
        return ROW_VALUE.matcher(super.errorMessage(e)).replaceAll("$1'***'");
    }
}
