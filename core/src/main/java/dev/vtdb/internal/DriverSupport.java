package dev.vtdb.internal;

import dev.vtdb.Row;
import dev.vtdb.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What a database module tells the core about its JDBC driver: how to bind and read values, how
 * to recognise connection loss and cancellation, how to stream and how to spell a status. The
 * defaults fit any JDBC driver; modules override what their database does differently.
 */
public class DriverSupport {
    private final int pipelineLimit;

    /** Creates the support with reads never shared ({@link #pipelineLimit()} 1). */
    public DriverSupport() {
        this(1);
    }

    /**
     * Creates the support.
     *
     * @param pipelineLimit how many queued reads of one statement may share a round trip (1: none)
     */
    protected DriverSupport(int pipelineLimit) {
        this.pipelineLimit = pipelineLimit;
    }

    /** Reads one column of the current row. */
    @FunctionalInterface
    public interface ColumnReader {
        /**
         * Reads the column.
         *
         * @param rs the result set positioned on a row
         * @param column 1-based column index
         * @return the Java value, {@code null} for SQL NULL
         * @throws SQLException from the driver
         */
        Object read(ResultSet rs, int column) throws SQLException;

        /** {@code int}/{@code smallint} as {@code Integer}; {@link RowReader} calls it directly. */
        ColumnReader INT = (rs, c) -> {
            int v = rs.getInt(c);
            return v == 0 && rs.wasNull() ? null : Integer.valueOf(v);
        };

        /** {@code bigint} as {@code Long}; {@link RowReader} calls it directly. */
        ColumnReader LONG = (rs, c) -> {
            long v = rs.getLong(c);
            return v == 0 && rs.wasNull() ? null : Long.valueOf(v);
        };

        /** Text as {@code String}; {@link RowReader} calls it directly. */
        ColumnReader TEXT = (rs, c) -> rs.getString(c);
    }

    private static final ColumnReader GET_OBJECT = (rs, c) -> normalize(rs.getObject(c));

    /**
     * Returns the short name used in thread and pool names ({@code pg}, {@code mysql}).
     *
     * @return the short name
     */
    public String shortName() {
        return "sql";
    }

    /**
     * Returns the SQL dialect used by builders and reflection.
     *
     * @return the dialect
     */
    public Dialect dialect() {
        return Dialect.ANSI;
    }

    /**
     * Tells the placeholder parser whether {@code $n}, dollar quotes and nested comments exist
     * (PostgreSQL) or backticks, {@code #} comments and backslash escapes do (MySQL).
     *
     * @return the syntax flavour
     */
    public SqlParser.Flavor sqlFlavor() {
        return SqlParser.Flavor.STANDARD;
    }

    /**
     * Binds one parameter.
     *
     * @param ps the statement
     * @param index 1-based index
     * @param value the value, possibly {@code null}
     * @throws SQLException from the driver
     */
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setObject(index, null);
        } else if (value instanceof Instant i) {
            ps.setObject(index, i.atOffset(ZoneOffset.UTC));
        } else if (value instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else if (value instanceof Character c) {
            ps.setString(index, c.toString());
        } else if (value instanceof UUID u) {
            ps.setObject(index, u);
        } else {
            ps.setObject(index, value);
        }
    }

    /**
     * Chooses how a result column is read.
     *
     * @param md the result's metadata
     * @param column 1-based column index
     * @return the reader
     * @throws SQLException from the driver
     */
    public ColumnReader reader(ResultSetMetaData md, int column) throws SQLException {
        return GET_OBJECT;
    }

    /**
     * Converts JDBC legacy types to java.time and collections.
     *
     * @param v a value from {@code getObject}
     * @return the normalized value
     * @throws SQLException from the driver (arrays)
     */
    public static Object normalize(Object v) throws SQLException {
        if (v == null) {
            return null;
        } else if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        } else if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        } else if (v instanceof java.sql.Time t) {
            return t.toLocalTime();
        } else if (v instanceof java.sql.Array a) {
            Object arr = a.getArray();
            List<Object> list = new ArrayList<>();
            if (arr instanceof Object[] objects) {
                for (Object o : objects) {
                    list.add(normalize(o));
                }
            } else {
                int n = java.lang.reflect.Array.getLength(arr);
                for (int i = 0; i < n; i++) {
                    list.add(java.lang.reflect.Array.get(arr, i));
                }
            }
            a.free();
            return java.util.Collections.unmodifiableList(list);
        } else if (v instanceof java.sql.Clob c) {
            return c.getSubString(1, (int) c.length());
        } else if (v instanceof java.sql.Blob b) {
            return b.getBytes(1, (int) b.length());
        }
        return v;
    }

    /**
     * Prepares a statement; asks for generated keys when the statement may produce them.
     *
     * @param connection the connection
     * @param sql JDBC SQL with {@code ?} placeholders
     * @param keyColumns the generated-key columns the caller knows of (a table's auto-increment
     *     column), possibly empty
     * @return the statement
     * @throws SQLException from the driver
     */
    public PreparedStatement prepareUpdate(Connection connection, String sql, List<String> keyColumns)
            throws SQLException {
        if (!keyColumns.isEmpty()) {
            return connection.prepareStatement(sql, keyColumns.toArray(String[]::new));
        }
        return connection.prepareStatement(sql);
    }

    /**
     * Ends what a callback's own SQL left open on the server behind the driver's back, after the
     * callback returned with the connection in auto-commit as the driver sees it: a transaction
     * begun with a plain {@code BEGIN}, or auto-commit turned off with {@code SET}. Either would
     * otherwise swallow the next call's writes into a transaction nobody commits.
     *
     * @param connection the connection, in auto-commit for the driver
     * @return whether something was left open (and was rolled back)
     * @throws SQLException when ending it failed
     */
    public boolean endServerTransaction(Connection connection) throws SQLException {
        return false;
    }

    /**
     * Returns the per-row counts of a batch, from those the driver reported.
     *
     * @param sql the batch's statement
     * @param counts the driver's counts ({@link Statement#SUCCESS_NO_INFO} where it did not count)
     * @return the counts; by default the driver's
     */
    public int[] batchCounts(String sql, int[] counts) {
        return counts;
    }

    /**
     * Returns the keys of an INSERT's rows, in row order, from the keys the driver reported.
     *
     * @param generated the keys the driver reported ({@code getGeneratedKeys})
     * @param supplied per row, the value the INSERT gave the key column itself, {@code null} where the
     *     database made one; empty when no row gave one ({@link
     *     dev.vtdb.sql.SqlStatement#suppliedKeys})
     * @return the keys; by default the driver's, which returns every row's key (a RETURNING clause)
     * @throws SQLException from the driver
     */
    public List<Object> insertedKeys(List<Object> generated, List<Object> supplied) throws SQLException {
        return generated;
    }

    /**
     * Returns the command status asyncpg would report ({@code INSERT 0 1}, {@code UPDATE 2}).
     *
     * @param sql the statement
     * @param rowCount rows affected
     * @return the status string
     */
    public String status(String sql, long rowCount) {
        String verb = firstWord(sql);
        return switch (verb) {
            case "INSERT" -> "INSERT 0 " + rowCount;
            case "UPDATE", "DELETE", "SELECT", "MERGE", "MOVE", "FETCH", "COPY" -> verb + " " + rowCount;
            case "CREATE", "DROP", "ALTER" -> verb + " " + secondWord(sql);
            default -> verb;
        };
    }

    /**
     * Returns the schema an unqualified table name means on this connection, for reflection.
     *
     * @param connection the connection
     * @param table the table name, unqualified
     * @return by default the connection's current schema ({@code getSchema()}); a database with a
     *     search path answers with the schema where the server finds the table
     * @throws SQLException from the driver
     */
    public String tableSchema(Connection connection, String table) throws SQLException {
        return connection.getSchema();
    }

    /**
     * Readies a connection and statement for a server-side cursor read in chunks.
     *
     * @param connection the connection (PostgreSQL needs auto-commit off, which the session
     *     arranges)
     * @param ps the prepared statement
     * @param fetchSize rows per round trip
     * @throws SQLException from the driver
     */
    public void prepareCursor(Connection connection, PreparedStatement ps, int fetchSize) throws SQLException {
        ps.setFetchSize(fetchSize);
    }

    /**
     * Tells whether a cursor read needs a transaction (PostgreSQL: yes).
     *
     * @return {@code true} when auto-commit must be off while a cursor is open
     */
    public boolean cursorNeedsTransaction() {
        return false;
    }

    /**
     * Returns how many queued reads of the same statement may share one round trip (see {@link
     * Pipelined}); 1 turns sharing off. The reads are sent as one multi-statement execute ({@link
     * #preparePipelined}) that commits nothing unless all of them succeed.
     *
     * @return the most reads sent together
     */
    public final int pipelineLimit() {
        return pipelineLimit;
    }

    /**
     * Tells whether a statement's reads are shared only once one of them has run alone and its
     * columns passed {@link #sharesColumns}: when shared reads go through another protocol that
     * could return some types differently.
     *
     * @return {@code true} to vet each statement's columns first
     */
    public boolean pipelineVetsColumns() {
        return false;
    }

    /**
     * Tells whether reads returning these columns get the same values when shared as alone (see
     * {@link #pipelineVetsColumns()}).
     *
     * @param md the columns of a read that ran alone
     * @return {@code true} when its reads may be shared
     * @throws SQLException from the driver
     */
    public boolean sharesColumns(ResultSetMetaData md) throws SQLException {
        return true;
    }

    /**
     * Readies a connection for its first shared reads: turns on what {@link #preparePipelined}
     * needs. It stays on while the connection sends only shared reads, and {@link
     * #stopPipelining} turns it off before anything else runs on it or it goes back to the pool.
     *
     * @param connection the worker's connection
     * @throws SQLException from the driver
     */
    public void startPipelining(Connection connection) throws SQLException {
        // nothing to turn on by default
    }

    /**
     * Undoes {@link #startPipelining}.
     *
     * @param connection the worker's connection
     * @throws SQLException from the driver; the connection is then evicted
     */
    public void stopPipelining(Connection connection) throws SQLException {
        // nothing to turn off by default
    }

    /**
     * Prepares {@code count} copies of one read as one execute (by default separated by {@code ;},
     * which pgjdbc sends with one sync: one implicit transaction).
     *
     * @param connection the worker's connection, {@linkplain #startPipelining readied}
     * @param sql one read, with JDBC placeholders
     * @param count copies
     * @return the statement, its placeholders those of the copies in order
     * @throws SQLException from the driver
     */
    public PreparedStatement preparePipelined(Connection connection, String sql, int count) throws SQLException {
        return connection.prepareStatement(repeat(sql, count, ""));
    }

    /**
     * Joins {@code count} copies of a statement with {@code ;}, after {@code prefix}.
     *
     * @param sql the statement
     * @param count copies
     * @param prefix text before the first copy
     * @return the text
     */
    protected static String repeat(String sql, int count, String prefix) {
        StringBuilder sb = new StringBuilder(prefix.length() + (sql.length() + 1) * count + 8);
        sb.append(prefix);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(';');
            }
            sb.append(sql);
        }
        return sb.toString();
    }

    /**
     * Returns how many results of a {@linkplain #preparePipelined shared execute} come before the
     * first read's (those of statements framing the reads).
     *
     * @return results to skip
     */
    public int pipelineLeadingResults() {
        return 0;
    }

    /**
     * Cleans up after a shared execute failed on a connection that is still usable, before its
     * reads run again alone.
     *
     * @param connection the worker's connection
     * @throws SQLException from the driver; the connection is then evicted
     */
    public void pipelineFailed(Connection connection) throws SQLException {
        // one implicit transaction by default: nothing left open
    }

    /**
     * Applies DEFERRABLE to the transaction just begun (PostgreSQL only).
     *
     * @param connection the connection in a new transaction
     * @throws SQLException from the driver
     */
    public void setDeferrable(Connection connection) throws SQLException {
        // not supported by default
    }

    /**
     * Tells whether a failure to connect cannot go away by asking again: the server refused the
     * login or the database, or the TLS certificate did not verify. A call then fails at once
     * instead of waiting out the connect timeout.
     *
     * @param failure the last failure of a connection attempt (any exception in its cause chain may
     *     tell)
     * @return {@code true} for a refusal that retrying cannot cure
     */
    public boolean isPermanentConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String state = e.getSQLState();
                // 28: invalid authorization; 3D: invalid catalog (no such database)
                if (state.startsWith("28") || state.startsWith("3D")) {
                    return true;
                }
            }
            if (t instanceof javax.net.ssl.SSLHandshakeException
                    || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether an exception means the connection is gone.
     *
     * @param e the driver's exception
     * @return {@code true} for connection loss
     */
    public boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08"))
                || e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLRecoverableException;
    }

    /**
     * Asks the server to stop whatever the connection runs that is not a statement the session
     * tracks (PostgreSQL's COPY through pgjdbc's CopyManager): called, from another thread, only
     * when the running call is to be cancelled. The default does nothing; the call then ends when
     * its connection is closed after the cancel grace.
     *
     * @param connection the busy connection
     * @throws SQLException when the request cannot be sent
     */
    public void cancelConnection(Connection connection) throws SQLException {
        // nothing outside a statement to cancel in general
    }

    /**
     * Opens a driver's own reading of a query's rows for {@link dev.vtdb.Session#stream} when the
     * session is outside a transaction and the query takes no arguments, or returns {@code null} to
     * read it through a cursor. The default returns {@code null}.
     *
     * @param connection the session's connection, in auto-commit
     * @param sql the query, placeholders already translated (there are none)
     * @return the rows, or {@code null} for a cursor
     * @throws SQLException when the query fails (the same errors a cursor would report)
     */
    public RowSource openStream(Connection connection, String sql) throws SQLException {
        return null;
    }

    /**
     * Rows a driver reads without a cursor ({@link #openStream}); the connection is busy with them
     * until they end, {@link #detach} frees it or {@link #close} stops them. Used by one thread.
     */
    public interface RowSource {
        /**
         * Reads the next row.
         *
         * @return the row, or {@code null} after the last one
         * @throws SQLException when the query fails on the server
         */
        Row next() throws SQLException;

        /**
         * Frees the connection for another statement, keeping the rows not read yet where {@link
         * #next} finds them (outside the heap: memory stays bounded). Does nothing once the rows
         * have ended.
         */
        void detach();

        /** Stops reading, leaving the connection ready for the next statement; idempotent. */
        void close();
    }

    /**
     * Tells whether an exception reports a cancelled statement (ours, via {@code cancel()}).
     *
     * @param e the driver's exception
     * @return {@code true} for a cancellation
     */
    public boolean isCancellation(SQLException e) {
        return "57014".equals(e.getSQLState()) || e instanceof java.sql.SQLTimeoutException;
    }

    /**
     * Extracts the violated constraint's name.
     *
     * @param e a class-23 exception
     * @return the name, or {@code null}
     */
    public String constraintName(SQLException e) {
        return null;
    }

    /**
     * Tells whether an exception is an integrity constraint violation.
     *
     * @param e the driver's exception
     * @return {@code true} for class 23
     */
    public boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    /**
     * Returns the one-line text of a driver exception used in vtdb's messages; modules may add
     * what their driver keeps elsewhere (PostgreSQL's error position, for instance). Secrets are
     * masked by the caller.
     *
     * @param e the driver's exception
     * @return the text, never {@code null}
     */
    public String errorMessage(SQLException e) {
        return Errors.firstLine(e.getMessage());
    }

    /**
     * Describes the server for messages, without secrets.
     *
     * @return e.g. {@code postgresql://127.0.0.1:5432/test}
     */
    public String describeServer() {
        return shortName();
    }

    static String firstWord(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        int j = i;
        while (j < sql.length() && Character.isLetter(sql.charAt(j))) {
            j++;
        }
        return sql.substring(i, j).toUpperCase(Locale.ROOT);
    }

    private static String secondWord(String sql) {
        String[] words = sql.strip().split("\\s+", 4);
        if (words.length < 2) {
            return "";
        }
        String w = words[1].toUpperCase(Locale.ROOT);
        if (Arrays.asList("UNIQUE", "TEMPORARY", "TEMP", "OR").contains(w) && words.length > 2) {
            return words[2].toUpperCase(Locale.ROOT);
        }
        return w;
    }

    private static int skipSpaceAndComments(String sql, int i) {
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? sql.length() : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }
}
