package dev.vtdb.internal;

import dev.vtdb.BatchResult;
import dev.vtdb.Database;
import dev.vtdb.ExecResult;
import dev.vtdb.PoolStats;
import dev.vtdb.Row;
import dev.vtdb.SessionCallback;
import dev.vtdb.TxOptions;
import dev.vtdb.sql.SqlStatement;
import dev.vtdb.sql.Table;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The {@link Database} every SQL module returns: each call becomes a request on the shared
 * {@link Engine}. A view made by {@link #withTimeout} shares the engine with another timeout.
 */
public class SqlDatabase implements Database {
    /** The engine running the calls. */
    protected final Engine engine;

    private final Duration timeout;

    /**
     * Creates a database over a started engine.
     *
     * @param engine the engine
     * @param timeout each call's default allowance
     */
    public SqlDatabase(Engine engine, Duration timeout) {
        this.engine = Objects.requireNonNull(engine, "engine");
        Engine.positive("timeout", timeout);
        this.timeout = timeout;
    }

    /**
     * Returns the engine (for module-specific calls).
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Returns this database's per-call timeout.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Queues module-specific work with this database's timeout.
     *
     * @param operation name for messages
     * @param sql statement for messages, or {@code null}
     * @param work the work
     * @param <T> result type
     * @return the call's future
     */
    protected <T> CompletableFuture<T> submit(String operation, String sql, SessionCallback<T> work) {
        return engine.submit(operation, sql, timeout, work);
    }

    @Override
    public CompletableFuture<List<Row>> fetch(String sql, Object... args) {
        return read("fetch", sql, args, 0, rows -> rows, s -> s.fetch(sql, args));
    }

    @Override
    public CompletableFuture<List<Row>> fetch(String sql, Map<String, ?> params) {
        return submit("fetch", sql, s -> s.fetch(sql, params));
    }

    @Override
    public CompletableFuture<List<Row>> fetch(SqlStatement statement) {
        return submit("fetch", statement.sql(), s -> s.fetch(statement));
    }

    @Override
    public CompletableFuture<Optional<Row>> fetchRow(String sql, Object... args) {
        return read("fetchRow", sql, args, 1, JdbcSession::firstRow, s -> s.fetchRow(sql, args));
    }

    @Override
    public <T> CompletableFuture<T> fetchValue(String sql, Class<T> type, Object... args) {
        return read(
                "fetchValue",
                sql,
                args,
                1,
                rows -> JdbcSession.firstValue(rows, type),
                s -> s.fetchValue(sql, type, args));
    }

    /**
     * Queues a read that may share a round trip with other queued reads of the same statement
     * (see {@link Pipelined}), or, when it may not (sharing off, not a plain SELECT, or arguments
     * the session refuses, which it then reports), the plain work.
     */
    private <T> CompletableFuture<T> read(
            String operation,
            String sql,
            Object[] args,
            int maxRows,
            Function<List<Row>, T> result,
            SessionCallback<T> plain) {
        SessionCallback<T> work = plain;
        if (engine.driver().pipelineLimit() > 1 && sql != null && args != null) {
            try {
                SqlParser.Parsed parsed = engine.parser.parse(sql);
                if (parsed.plainSelect()) {
                    // the same binding and text checks the session makes; what they refuse runs
                    // alone, where the session reports it
                    Object[] values = parsed.bindPositional(args);
                    InvalidText.check(engine, operation, sql, parsed, args, 0);
                    work = new Pipelined<>(operation, sql, parsed.sql(), values, maxRows, result);
                }
            } catch (RuntimeException e) {
                work = plain;
            }
        }
        return engine.submit(operation, sql, timeout, work);
    }

    @Override
    public <T> CompletableFuture<List<T>> fetchAs(Class<T> type, String sql, Object... args) {
        return submit("fetchAs", sql, s -> s.fetchAs(type, sql, args));
    }

    @Override
    public CompletableFuture<ExecResult> execute(String sql, Object... args) {
        return submit("execute", sql, s -> s.execute(sql, args));
    }

    @Override
    public CompletableFuture<ExecResult> execute(String sql, Map<String, ?> params) {
        return submit("execute", sql, s -> s.execute(sql, params));
    }

    @Override
    public CompletableFuture<ExecResult> execute(SqlStatement statement) {
        return submit("execute", statement.sql(), s -> s.execute(statement));
    }

    @Override
    public CompletableFuture<BatchResult> executeMany(String sql, List<? extends List<?>> rows) {
        return submit("executeMany", sql, s -> s.executeMany(sql, rows));
    }

    @Override
    public <T> CompletableFuture<T> withConnection(SessionCallback<T> callback) {
        Objects.requireNonNull(callback, "callback");
        return submit("withConnection", null, callback);
    }

    @Override
    public <T> CompletableFuture<T> inTransaction(SessionCallback<T> callback) {
        return inTransaction(TxOptions.DEFAULT, callback);
    }

    @Override
    public <T> CompletableFuture<T> inTransaction(TxOptions options, SessionCallback<T> callback) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(callback, "callback");
        return submit("inTransaction", null, s -> ((JdbcSession) s).inTransaction(options, callback));
    }

    @Override
    public CompletableFuture<Table> table(String name) {
        Objects.requireNonNull(name, "name");
        return submit("table", null, s -> s.table(name));
    }

    @Override
    public Database withTimeout(Duration timeout) {
        return new SqlDatabase(engine, timeout);
    }

    @Override
    public PoolStats stats() {
        return engine.stats();
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
        return engine.awaitIdle(timeout);
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return engine.closeAsync();
    }

    @Override
    public CompletableFuture<Void> awaitClosed() {
        return engine.closeFuture();
    }

    @Override
    public void close() {
        CompletableFuture<Void> f = engine.closeAsync();
        if (!engine.inCallback()) {
            f.join();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + engine.name() + " "
                + engine.driver().describeServer() + ", timeout=" + timeout.toMillis() + "ms, " + engine.stats() + "]";
    }
}
