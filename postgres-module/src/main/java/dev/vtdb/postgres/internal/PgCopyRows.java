package dev.vtdb.postgres.internal;

import dev.vtdb.Row;
import dev.vtdb.internal.DriverSupport;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.util.ByteConverter;

/**
 * A query's rows read from {@code COPY (query) TO STDOUT (FORMAT binary)} and decoded here into
 * the same {@link Row} values a cursor gives (the types pgjdbc maps for vtdb's cursor: {@code
 * smallint} and {@code integer} as {@code Integer}, {@code bigint} as {@code Long}, {@code real}
 * as {@code Float}, {@code double precision} as {@code Double}, {@code boolean}, text types as
 * {@code String}, {@code uuid}, {@code bytea} as {@code byte[]}, {@code date}, {@code timestamp}
 * and {@code timestamptz} as {@code LocalDate}, {@code LocalDateTime} and {@code OffsetDateTime} in
 * UTC). The server streams the rows
 * without waiting for the client to ask for each chunk, so it makes the next rows while the client
 * decodes the last ones; a cursor stops both at every fetch.
 */
final class PgCopyRows {
    /** PostgreSQL's epoch for dates and timestamps: 2000-01-01. */
    private static final LocalDate EPOCH_DATE = LocalDate.of(2000, 1, 1);

    private static final LocalDateTime EPOCH = EPOCH_DATE.atStartOfDay();

    private static final byte INT2 = 1;
    private static final byte INT4 = 2;
    private static final byte INT8 = 3;
    private static final byte FLOAT4 = 4;
    private static final byte FLOAT8 = 5;
    private static final byte BOOL = 6;
    private static final byte TEXT = 7;
    private static final byte UUID_TYPE = 8;
    private static final byte BYTEA = 9;
    private static final byte DATE = 10;
    private static final byte TIMESTAMP = 11;
    private static final byte TIMESTAMPTZ = 12;

    /** Bytes of a stopped COPY read before it is cancelled: a short rest ends on its own. */
    private static final int DRAIN_BEFORE_CANCEL = 1 << 20;

    private final Row.Columns columns;
    private final byte[] kinds;

    private PgCopyRows(Row.Columns columns, byte[] kinds) {
        this.columns = columns;
        this.kinds = kinds;
    }

    /**
     * Describes a query (one round trip, nothing executed) and returns its reader, or {@code null}
     * when a column's type is not one decoded here.
     *
     * @throws IllegalArgumentException when the query returns no rows
     */
    static PgCopyRows describe(Connection c, String query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ResultSetMetaData md = ps.getMetaData();
            if (md == null || md.getColumnCount() == 0) {
                throw new IllegalArgumentException("stream needs a query that returns rows: " + query);
            }
            int n = md.getColumnCount();
            String[] labels = new String[n];
            byte[] kinds = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = md.getColumnLabel(i + 1);
                kinds[i] = kind(md.getColumnTypeName(i + 1));
                if (kinds[i] == 0) {
                    return null;
                }
            }
            return new PgCopyRows(Row.Columns.of(labels), kinds);
        }
    }

    private static byte kind(String type) {
        return switch (type) {
            case "int2" -> INT2;
            case "int4" -> INT4;
            case "int8" -> INT8;
            case "float4" -> FLOAT4;
            case "float8" -> FLOAT8;
            case "bool" -> BOOL;
            case "text", "varchar", "bpchar" -> TEXT;
            case "uuid" -> UUID_TYPE;
            case "bytea" -> BYTEA;
            case "date" -> DATE;
            case "timestamp" -> TIMESTAMP;
            case "timestamptz" -> TIMESTAMPTZ;
            default -> 0;
        };
    }

    /**
     * Starts {@code COPY (query) TO STDOUT (FORMAT binary)} on the connection and returns its rows,
     * or {@code null} when the server refuses to COPY the query (a statement it describes but COPY
     * does not take, such as {@code SHOW}): the caller then reads it through a cursor, where a real
     * error shows again.
     */
    Source start(PgDriverSupport driver, Connection connection, String query) throws SQLException {
        // the query on lines of its own: a comment ending it cannot swallow the closing parenthesis
        String sql = "COPY (\n" + query + "\n) TO STDOUT (FORMAT binary)";
        CopyManager copies = connection.unwrap(PGConnection.class).getCopyAPI();
        driver.copyStarts(connection);
        try {
            return new Source(driver, connection, copies.copyOut(sql));
        } catch (SQLException e) {
            driver.copyEnded(connection);
            if (driver.isConnectionError(e)) {
                throw e;
            }
            return null;
        }
    }

    /**
     * The rows of one running COPY, decoded as they are read. The server streams them without
     * waiting for the client to ask for each chunk. {@link #detach} reads the rest into a temporary
     * file so that the connection can run another statement; the rows then come from the file.
     */
    final class Source implements DriverSupport.RowSource {
        private final PgDriverSupport driver;
        private final Connection connection;
        /** The running COPY; {@code null} once it ended, was stopped or was read into the file. */
        private CopyOut copy;
        /** The rest of the rows read by {@link #detach}, as length-prefixed COPY messages. */
        private DataInputStream kept;
        /** The COPY's error met while {@link #detach} read the rest, reported after the kept rows. */
        private SQLException keptError;

        private byte[] m;
        private int p;
        private boolean header = true;
        private boolean ended;

        private Source(PgDriverSupport driver, Connection connection, CopyOut copy) {
            this.driver = driver;
            this.connection = connection;
            this.copy = copy;
        }

        @Override
        public Row next() throws SQLException {
            while (m == null || p >= m.length) {
                m = nextMessage();
                p = 0;
                if (m == null) {
                    if (!ended) {
                        throw malformed("no end marker");
                    }
                    return null;
                }
                if (header) {
                    p = header(m);
                    header = false;
                }
            }
            if (ended) {
                throw malformed("data after the end marker");
            }
            int fields = ByteConverter.int2(m, p);
            p += 2;
            if (fields == -1) {
                ended = true;
                return next();
            }
            if (fields != kinds.length) {
                throw malformed("a row of " + fields + " fields where the query has " + kinds.length + " columns");
            }
            Object[] values = new Object[fields];
            for (int i = 0; i < fields; i++) {
                int len = ByteConverter.int4(m, p);
                p += 4;
                if (len < 0) {
                    continue;
                }
                if (len > m.length - p) {
                    throw malformed("a field longer than its message");
                }
                values[i] = value(kinds[i], m, p, len);
                p += len;
            }
            return Row.of(columns, values);
        }

        private byte[] nextMessage() throws SQLException {
            if (kept != null) {
                return keptMessage();
            }
            if (copy == null) {
                return null;
            }
            byte[] b;
            try {
                b = copy.readFromCopy();
            } catch (SQLException e) {
                ended();
                throw e;
            }
            if (b == null) {
                ended();
            }
            return b;
        }

        private byte[] keptMessage() throws SQLException {
            try {
                int len = kept.readInt();
                byte[] b = new byte[len];
                kept.readFully(b);
                return b;
            } catch (EOFException e) {
                closeKept();
                if (keptError != null) {
                    throw keptError;
                }
                return null;
            } catch (IOException e) {
                closeKept();
                throw new SQLException(
                        "the rest of the stream kept in a temporary file cannot be read: " + e, "58030", e);
            }
        }

        private void ended() {
            copy = null;
            driver.copyEnded(connection);
        }

        @Override
        public void detach() {
            if (copy == null) {
                return;
            }
            Path file = null;
            try {
                // java.io.tmpdir read now, not cached: where the rest goes can be moved while running
                file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "vtdb-stream-", ".copy");
                try (DataOutputStream out =
                        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                    byte[] b;
                    try {
                        while ((b = copy.readFromCopy()) != null) {
                            out.writeInt(b.length);
                            out.write(b);
                        }
                    } catch (SQLException e) {
                        keptError = e;
                    }
                }
                ended();
                kept = new DataInputStream(new BufferedInputStream(
                        Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE), 1 << 16));
            } catch (IOException e) {
                if (copy != null) {
                    stop();
                }
                deleteQuietly(file);
                keptError = new SQLException(
                        "the rest of the stream could not be kept in a temporary file: " + e, "58030", e);
                kept = new DataInputStream(InputStream.nullInputStream());
            }
        }

        /**
         * Stops reading. A COPY still running is read on for up to {@link #DRAIN_BEFORE_CANCEL}
         * bytes (a short rest ends on its own), then cancelled on the server and read up to its
         * cancellation error: pgjdbc's {@code cancelCopy} would leave the rest and the error unread,
         * where the next statement would find them. pgjdbc's cancel request returns once the server
         * has signalled the backend, and PostgreSQL drops a cancel that finds its backend idle, so a
         * COPY that ended just before the cancel leaves nothing that could stop the next statement.
         */
        @Override
        public void close() {
            closeKept();
            if (copy != null) {
                stop();
            }
        }

        private void stop() {
            try {
                long budget = DRAIN_BEFORE_CANCEL;
                byte[] b = null;
                while (budget > 0 && (b = copy.readFromCopy()) != null) {
                    budget -= b.length;
                }
                if (b == null) {
                    return; // ended within the budget
                }
                driver.cancelConnection(connection);
                while (copy.readFromCopy() != null) {
                    // discarded
                }
            } catch (SQLException e) {
                // 57014 when the cancel stopped it; any other error ended the COPY as well, and a
                // lost connection shows on the session's next statement
            } finally {
                ended();
            }
        }

        private void closeKept() {
            DataInputStream in = kept;
            if (in != null) {
                kept = null;
                try {
                    in.close();
                } catch (IOException e) {
                    // deleted on close already, or never opened
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left in the temporary directory
            }
        }
    }

    private static int header(byte[] m) {
        byte[] signature = PgBinaryCopy.SIGNATURE;
        if (m.length < signature.length + 8) {
            throw malformed("a header of " + m.length + " bytes");
        }
        if (!Arrays.equals(m, 0, signature.length, signature, 0, signature.length)) {
            throw malformed("no PGCOPY signature");
        }
        int p = signature.length + 4; // flags: no OIDs are asked for
        int extension = ByteConverter.int4(m, p);
        return p + 4 + extension;
    }

    private static Object value(byte kind, byte[] m, int p, int len) {
        return switch (kind) {
            case INT2 -> {
                width(len, 2);
                yield Integer.valueOf(ByteConverter.int2(m, p));
            }
            case INT4 -> {
                width(len, 4);
                yield Integer.valueOf(ByteConverter.int4(m, p));
            }
            case INT8 -> {
                width(len, 8);
                yield Long.valueOf(ByteConverter.int8(m, p));
            }
            case FLOAT4 -> {
                width(len, 4);
                yield Float.valueOf(ByteConverter.float4(m, p));
            }
            case FLOAT8 -> {
                width(len, 8);
                yield Double.valueOf(ByteConverter.float8(m, p));
            }
            case BOOL -> {
                width(len, 1);
                yield Boolean.valueOf(m[p] != 0);
            }
            case TEXT -> new String(m, p, len, StandardCharsets.UTF_8);
            case UUID_TYPE -> {
                width(len, 16);
                yield new UUID(ByteConverter.int8(m, p), ByteConverter.int8(m, p + 8));
            }
            case BYTEA -> Arrays.copyOfRange(m, p, p + len);
            case DATE -> {
                width(len, 4);
                yield date(ByteConverter.int4(m, p));
            }
            case TIMESTAMP -> {
                width(len, 8);
                yield timestamp(ByteConverter.int8(m, p));
            }
            case TIMESTAMPTZ -> {
                width(len, 8);
                long micros = ByteConverter.int8(m, p);
                // as pgjdbc gives it: in UTC, infinities as OffsetDateTime's ends
                yield micros == Long.MAX_VALUE
                        ? OffsetDateTime.MAX
                        : micros == Long.MIN_VALUE
                                ? OffsetDateTime.MIN
                                : timestamp(micros).atOffset(ZoneOffset.UTC);
            }
            default -> throw new IllegalStateException("kind " + kind);
        };
    }

    /** Days since 2000-01-01; {@code infinity} as {@code LocalDate.MAX}, as pgjdbc reads it. */
    private static LocalDate date(int days) {
        return days == Integer.MAX_VALUE
                ? LocalDate.MAX
                : days == Integer.MIN_VALUE ? LocalDate.MIN : EPOCH_DATE.plusDays(days);
    }

    /** Microseconds since 2000-01-01 00:00; {@code infinity} as {@code LocalDateTime.MAX}. */
    private static LocalDateTime timestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        } else if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        return EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
                .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static void width(int len, int expected) {
        if (len != expected) {
            throw malformed("a field of " + len + " bytes where its type has " + expected);
        }
    }

    private static IllegalStateException malformed(String what) {
        return new IllegalStateException("COPY binary data from the server is malformed: " + what);
    }
}
