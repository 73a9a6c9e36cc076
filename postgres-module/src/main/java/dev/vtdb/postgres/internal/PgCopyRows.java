package dev.vtdb.postgres.internal;

import dev.vtdb.Row;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Consumer;
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
                throw new IllegalArgumentException("copyRowsFromQuery needs a query that returns rows: " + query);
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
     * Reads every row of a running {@code COPY ... TO STDOUT (FORMAT binary)} and hands each to the
     * consumer.
     *
     * @return the rows read
     */
    long read(CopyOut copy, PgDriverSupport driver, Connection connection, Consumer<? super Row> consumer)
            throws SQLException {
        long rows = 0;
        boolean header = true;
        boolean ended = false;
        byte[] m;
        while ((m = copy.readFromCopy()) != null) {
            int p = 0;
            if (header) {
                p = header(m);
                header = false;
            }
            while (p < m.length) {
                if (ended) {
                    throw malformed("data after the end marker");
                }
                int fields = ByteConverter.int2(m, p);
                p += 2;
                if (fields == -1) {
                    ended = true;
                    continue;
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
                try {
                    consumer.accept(Row.of(columns, values));
                } catch (RuntimeException | Error e) {
                    stop(copy, driver, connection);
                    throw e;
                }
                rows++;
            }
        }
        if (!ended) {
            throw malformed("no end marker");
        }
        return rows;
    }

    /**
     * Stops a COPY the consumer gave up on, leaving the connection ready for the next statement.
     * pgjdbc's {@code cancelCopy} sends the cancel request but leaves the rest of the COPY and its
     * error unread, where the next statement would read them: instead the rest is read here up to
     * the server's cancellation error. The cancel goes through {@link
     * PgDriverSupport#cancelConnection}, which sends one per COPY (a deadline's cancel and this one
     * never both). When the COPY ended before the cancel reached the server, that cancel could
     * still reach the next statement, so the connection is closed (the pool replaces it).
     */
    private static void stop(CopyOut copy, PgDriverSupport driver, Connection connection) {
        try {
            driver.cancelConnection(connection);
            while (copy.readFromCopy() != null) {
                // discarded
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                return; // the cancel ended the COPY: nothing is left in flight
            }
        }
        try {
            connection.unwrap(org.postgresql.core.BaseConnection.class).abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // closed already
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
