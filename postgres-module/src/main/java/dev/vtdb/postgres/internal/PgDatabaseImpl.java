package dev.vtdb.postgres.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.vtdb.BatchResult;
import dev.vtdb.ConnectionLostException;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.Row;
import dev.vtdb.Session;
import dev.vtdb.SessionCallback;
import dev.vtdb.Subscription;
import dev.vtdb.VtdbException;
import dev.vtdb.internal.Engine;
import dev.vtdb.internal.Errors;
import dev.vtdb.internal.InvalidText;
import dev.vtdb.internal.SqlDatabase;
import dev.vtdb.internal.SqlParser;
import dev.vtdb.postgres.CopyFormat;
import dev.vtdb.postgres.Notification;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.PgOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** The PostgreSQL database: the core engine plus PostgreSQL-only calls. */
public final class PgDatabaseImpl extends SqlDatabase implements PgDatabase {
    private final PgOptions options;

    /**
     * Wraps a started engine.
     *
     * @param engine the engine
     * @param options the options
     * @param timeout per-call timeout of this view
     */
    public PgDatabaseImpl(Engine engine, PgOptions options, Duration timeout) {
        super(engine, timeout);
        this.options = options;
    }

    @Override
    public PgOptions options() {
        return options;
    }

    @Override
    public PgDatabase withTimeout(Duration timeout) {
        return new PgDatabaseImpl(engine, options, timeout);
    }

    @Override
    public CompletableFuture<BatchResult> executeMany(String sql, List<? extends List<?>> rows) {
        Objects.requireNonNull(rows, "rows");
        PgBulkInsert.Plan plan = rows.size() >= PgBulkInsert.MIN_ROWS ? PgBulkInsert.plan(sql) : null;
        if (plan == null) {
            return super.executeMany(sql, rows);
        }
        return submit("executeMany", sql, s -> {
            InvalidText.checkRows(engine, sql, rows); // COPY would write '?' for an unpaired surrogate
            BatchResult fast = PgBulkInsert.run(s, plan, sql, rows, e -> {
                if (engine.driver().isConnectionError(e)) {
                    markBroken(s);
                }
                return Errors.translate(engine.driver(), engine.name(), "executeMany", sql, e);
            });
            return fast != null ? fast : s.executeMany(sql, rows);
        });
    }

    // ---- COPY ----

    @Override
    public CompletableFuture<Long> copyRecordsToTable(
            String table, Iterable<? extends List<?>> records, List<String> columns) {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(columns, "columns");
        if (columns.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("copyRecordsToTable needs the column names"));
        }
        String quotedTable;
        String sql;
        try {
            quotedTable = PgCopy.quoteQualified(table);
            sql = "COPY " + quotedTable + PgCopy.columnList(columns) + " FROM STDIN";
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(
                "copyRecordsToTable",
                sql,
                s -> copy(s, "copyRecordsToTable", sql, cm -> {
                    // binary where every column's type allows it (asyncpg's choice), else text
                    PgBinaryCopy binary = PgBinaryCopy.forColumns(s.connection(), quotedTable, columns);
                    org.postgresql.copy.CopyIn in = cm.copyIn(binary == null ? sql : sql + " (FORMAT binary)");
                    // text that is not valid Unicode would be written as '?': refused, and the COPY
                    // cancelled (nothing copied)
                    PgCopy.Refusal refusal = (where, problem) -> InvalidText.refusal(
                            engine.driver(), engine.name(), "copyRecordsToTable", sql, where, problem);
                    try {
                        return binary == null
                                ? PgCopy.writeRecords(in, records, columns, refusal)
                                : binary.writeRecords(
                                        in,
                                        records,
                                        columns,
                                        refusal,
                                        (sqlState, message) -> rejected(sql, sqlState, message));
                    } finally {
                        if (in.isActive()) {
                            try {
                                in.cancelCopy();
                            } catch (SQLException e) {
                                // the copy failed already; its error is what the caller sees
                            }
                        }
                    }
                }));
    }

    /** A value the server would reject, refused before it is sent, reported as the server's error would be. */
    private RuntimeException rejected(String sql, String sqlState, String message) {
        return Errors.translate(
                engine.driver(),
                engine.name(),
                "copyRecordsToTable",
                sql,
                new SQLException(message + " (refused before it was sent: nothing was copied)", sqlState));
    }

    @Override
    public CompletableFuture<Long> copyFromStream(String table, InputStream in, CopyFormat format) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(format, "format");
        String sql;
        try {
            sql = "COPY " + PgCopy.quoteQualified(table) + " FROM STDIN (FORMAT " + formatName(format) + ")";
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(
                "copyFromStream",
                sql,
                s -> copy(s, "copyFromStream", sql, cm -> {
                    try {
                        return cm.copyIn(sql, in, 1 << 16);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
    }

    @Override
    public CompletableFuture<Long> copyToStream(String query, OutputStream out) {
        return copyToStream(query, out, CopyFormat.TEXT);
    }

    @Override
    public CompletableFuture<Long> copyToStream(String query, OutputStream out, CopyFormat format) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(format, "format");
        String sql = "COPY (" + copyBody(query) + ") TO STDOUT (FORMAT " + formatName(format) + ")";
        return submit(
                "copyToStream",
                sql,
                s -> copy(s, "copyToStream", sql, cm -> {
                    try {
                        return cm.copyOut(sql, out);
                    } catch (IOException e) {
                        // the caller's stream failed: pgjdbc stopped the COPY with a cancel request
                        // sent on another socket, which the server may act on only when the next
                        // statement runs (57014 there); the connection is closed and replaced instead
                        discard(s);
                        throw new UncheckedIOException(e);
                    }
                }));
    }

    @Override
    public CompletableFuture<Long> copyRowsFromQuery(String query, Consumer<? super Row> consumer) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(consumer, "consumer");
        String body = copyBody(query);
        SqlParser.Parsed parsed = SqlParser.parse(body, engine.driver().sqlFlavor());
        if (parsed.arity() > 0 || !parsed.names().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "copyRowsFromQuery takes a query without parameters (COPY cannot bind them): " + body));
        }
        // PgDriverSupport.openStream: the rows of COPY (query) TO STDOUT (FORMAT binary), or
        // through a cursor for column types not decoded from COPY's binary format
        return submit("copyRowsFromQuery", body, s -> {
            long n = 0;
            try (Stream<Row> rows = s.stream(body)) {
                for (Row r : (Iterable<Row>) rows::iterator) {
                    consumer.accept(r);
                    n++;
                }
            }
            return n;
        });
    }

    /** A query for {@code COPY (query) TO}: trailing semicolons (which COPY refuses) removed. */
    static String copyBody(String query) {
        String body = query.strip();
        while (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        return body;
    }

    private static String formatName(CopyFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }

    @FunctionalInterface
    private interface CopyWork {
        long run(CopyManager cm) throws SQLException;
    }

    private long copy(Session s, String operation, String sql, CopyWork work) {
        PgDriverSupport driver = (PgDriverSupport) engine.driver();
        driver.copyStarts(s.connection());
        try {
            CopyManager cm = s.connection().unwrap(PGConnection.class).getCopyAPI();
            return work.run(cm);
        } catch (SQLException e) {
            if (engine.driver().isConnectionError(e)) {
                markBroken(s);
            }
            throw Errors.translate(engine.driver(), engine.name(), operation, sql, e);
        } catch (UncheckedIOException e) {
            throw new VtdbException(
                    engine.name() + " " + operation + " failed reading or writing the stream: " + e.getCause(),
                    e.getCause());
        } finally {
            driver.copyEnded(s.connection());
        }
    }

    /** Closes the connection at once and marks the session broken, so the worker replaces it. */
    private static void discard(Session s) {
        try {
            s.connection().abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // closed already, or closing failed: either way the session sees a dead connection
        }
        markBroken(s);
    }

    /** Lets the session notice a dead connection so the worker replaces it. */
    private static void markBroken(Session s) {
        try {
            s.execute("SELECT 1");
        } catch (RuntimeException expected) {
            // the session is marked broken now
        }
    }

    // ---- LISTEN / NOTIFY ----

    @Override
    public CompletableFuture<Subscription> listen(String channel, Consumer<Notification> handler) {
        return listen(channel, handler, null);
    }

    @Override
    public CompletableFuture<Subscription> listen(
            String channel, Consumer<Notification> handler, Runnable onReconnect) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        if (channel.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("channel must not be empty"));
        }
        HikariDataSource ds = engine.dataSource();
        if (ds.isClosed()) {
            return CompletableFuture.failedFuture(new DatabaseClosedException(name() + " is closed; listen refused"));
        }
        Properties props = new Properties();
        props.putAll(ds.getDataSourceProperties());
        props.setProperty("user", ds.getUsername());
        if (ds.getPassword() != null) {
            props.setProperty("password", ds.getPassword());
        }
        PgListener listener = new PgListener(ds.getJdbcUrl(), props, channel, handler, onReconnect, name());
        try {
            CompletableFuture<Subscription> started = listener.start();
            engine.closeFuture().whenComplete((v, e) -> listener.close());
            return started;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(
                    new ConnectionLostException(name() + " could not start listening: " + e, e));
        }
    }

    @Override
    public CompletableFuture<Void> notify(String channel, String payload) {
        Objects.requireNonNull(channel, "channel");
        return submit("notify", "SELECT pg_notify($1, $2)", s -> {
            s.execute("SELECT pg_notify($1, $2)", channel, payload);
            return null;
        });
    }

    // ---- advisory locks ----

    @Override
    public <T> CompletableFuture<T> withAdvisoryLock(long key, SessionCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        return submit("withAdvisoryLock", "SELECT pg_advisory_lock($1)", s -> {
            s.execute("SELECT pg_advisory_lock($1)", key);
            Throwable failure = null;
            try {
                return callback.apply(s);
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                unlock(s, key, failure);
            }
        });
    }

    /**
     * Releases the lock on the raw connection, so it also runs after a deadline or cancel (when the
     * session refuses further statements); if that fails the connection is aborted, which releases
     * every lock it holds, rather than going back to the pool still holding the lock.
     */
    private void unlock(Session s, long key, Throwable failure) {
        java.sql.Connection c = s.connection();
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + key + ")");
        } catch (SQLException e) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            RuntimeException unlockFailure = new ConnectionLostException(
                    name() + " withAdvisoryLock could not release advisory lock " + key
                            + "; the connection was closed to release it: " + e.getMessage(),
                    e);
            if (failure != null) {
                failure.addSuppressed(unlockFailure);
            } else {
                throw unlockFailure;
            }
        }
    }
}
