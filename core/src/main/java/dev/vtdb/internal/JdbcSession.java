package dev.vtdb.internal;

import dev.vtdb.BatchResult;
import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.Cursor;
import dev.vtdb.ExecResult;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.Session;
import dev.vtdb.SessionCallback;
import dev.vtdb.Transaction;
import dev.vtdb.TxOptions;
import dev.vtdb.VtdbException;
import dev.vtdb.sql.SqlStatement;
import dev.vtdb.sql.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.BeanMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Session} a worker lends to the work it runs; bound to the worker's connection. */
final class JdbcSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSession.class);

    final Engine engine;
    private final Connection connection;
    private final DriverSupport driver;
    private volatile Statement currentStatement;
    private Request<?> request;
    private final List<JdbcCursor> cursors = new ArrayList<>();
    /** Whether a cursor opened outside a transaction holds one of its own ({@link #openCursor}). */
    private boolean cursorTx;
    /** The stream the driver reads without a cursor ({@link DriverSupport#openStream}), if open. */
    private DriverSupport.RowSource source;

    private int txDepth;
    private boolean broken;
    private boolean defaultAutoCommit = true;
    /** Whether {@link DriverSupport#startPipelining} is in effect on the connection. */
    private boolean pipelining;

    JdbcSession(Engine engine, Connection connection) {
        this.engine = engine;
        this.connection = connection;
        this.driver = engine.driver();
    }

    // ---- lifecycle, driven by the worker ----

    /**
     * Starts a request that runs alone: turns off what shared reads turned on first, so nothing
     * but shared reads ever runs while it is on.
     *
     * @throws SQLException when that fails (the session is then broken)
     */
    void begin(Request<?> r) throws SQLException {
        this.request = r;
        if (pipelining) {
            stopPipelining();
        }
    }

    /** Starts reads that share one round trip, {@code lead} first. */
    void beginShared(Request<?> lead) {
        this.request = lead;
    }

    /**
     * Turns off what shared reads turned on, before the connection goes back to the pool.
     *
     * @return {@code false} when that failed: the connection must be evicted
     */
    boolean leavePipelining() {
        if (!pipelining) {
            return true;
        }
        try {
            stopPipelining();
            return true;
        } catch (SQLException e) {
            LOG.debug("{}: turning off shared reads failed", engine.name(), e);
            return false;
        }
    }

    private void stopPipelining() throws SQLException {
        try {
            driver.stopPipelining(connection);
            pipelining = false;
        } catch (SQLException e) {
            broken = true;
            throw e;
        }
    }

    /** Cleans up after the request: closes cursors, rolls back a transaction left open. */
    void end(Throwable failure) {
        closeSource();
        for (JdbcCursor c : List.copyOf(cursors)) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    LOG.warn("{}: closing a cursor the callback left open failed", engine.name(), e);
                }
            }
        }
        cursors.clear();
        try {
            if (!broken && connection.getAutoCommit()) {
                if (driver.endServerTransaction(connection) && failure == null) {
                    LOG.warn(
                            "{}: a callback returned with a transaction its own SQL began (or auto-commit it"
                                    + " turned off) still open; it was rolled back",
                            engine.name());
                }
            } else if (!broken) {
                try {
                    connection.rollback();
                } catch (SQLException e) {
                    if (failure != null) {
                        failure.addSuppressed(e);
                    }
                    markIfBroken(e);
                }
                connection.setAutoCommit(defaultAutoCommit);
                if (failure == null) {
                    LOG.warn(
                            "{}: a callback returned with its transaction still open; it was rolled back",
                            engine.name());
                }
            }
        } catch (SQLException e) {
            broken = true;
        }
        txDepth = 0;
        cursorTx = false;
        request = null;
        currentStatement = null;
    }

    boolean isBroken() {
        return broken;
    }

    void cancelCurrentStatement() {
        Statement s = currentStatement;
        try {
            if (s != null) {
                s.cancel();
            } else {
                // no statement: a COPY through the driver's own API (the driver sends a cancel only
                // while one runs), or the callback's own code
                driver.cancelConnection(connection);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{}: cancel failed", engine.name(), e);
        }
    }

    void abort() {
        broken = true;
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{}: abort failed", engine.name(), e);
        }
    }

    <T> CompletableFuture<T> runNested(SessionCallback<T> work) {
        try {
            return CompletableFuture.completedFuture(work.apply(this));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    // ---- queries ----

    @Override
    public List<Row> fetch(String sql, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return query("fetch", sql, p.sql(), positional("fetch", sql, p, args), 0);
    }

    @Override
    public List<Row> fetch(String sql, Map<String, ?> params) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return query("fetch", sql, p.sql(), named("fetch", sql, p, params), 0);
    }

    @Override
    public List<Row> fetch(SqlStatement statement) {
        String sql = statement.sql();
        return query("fetch", sql, sql, built("fetch", statement), 0);
    }

    @Override
    public Optional<Row> fetchRow(String sql, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return firstRow(query("fetchRow", sql, p.sql(), positional("fetchRow", sql, p, args), 1));
    }

    /** fetchRow's result from the rows read with max rows 1. */
    static Optional<Row> firstRow(List<Row> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    @Override
    public <T> T fetchValue(String sql, Class<T> type, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return firstValue(query("fetchValue", sql, p.sql(), positional("fetchValue", sql, p, args), 1), type);
    }

    /** fetchValue's result from the rows read with max rows 1. */
    static <T> T firstValue(List<Row> rows, Class<T> type) {
        return rows.isEmpty() ? null : rows.getFirst().get(0, type);
    }

    @Override
    public <T> List<T> fetchAs(Class<T> type, String sql, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        Object[] values = positional("fetchAs", sql, p, args);
        checkUsable("fetchAs");
        Handle handle = engine.jdbi.open();
        try {
            // reset what a cached statement of an earlier call may carry (see query())
            var q = handle.createQuery(p.sql()).setMaxRows(0).setFetchSize(0);
            for (int i = 0; i < values.length; i++) {
                q.bind(i, values[i]);
            }
            if (type.isRecord()) {
                return q.map(ConstructorMapper.of(type)).list();
            }
            if (isBean(type)) {
                return q.map(BeanMapper.of(type)).list();
            }
            return q.mapTo(type).list();
        } catch (org.jdbi.v3.core.JdbiException e) {
            if (e.getCause() instanceof SQLException se) {
                throw fail("fetchAs", sql, se);
            }
            throw new VtdbException(
                    engine.name() + " fetchAs(" + type.getSimpleName() + ") failed: " + e.getMessage(), e);
        } finally {
            handle.close();
        }
    }

    private static boolean isBean(Class<?> type) {
        if (type.isPrimitive() || type.getName().startsWith("java.") || type.isEnum() || type.isArray()) {
            return false;
        }
        try {
            type.getConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    List<Row> query(String operation, String original, String jdbcSql, Object[] values, int maxRows) {
        return query(operation, original, jdbcSql, values, maxRows, null);
    }

    /**
     * Runs a read that could have shared a round trip alone. Where the driver {@linkplain
     * DriverSupport#pipelineVetsColumns() vets columns}, a statement whose columns it will not
     * share is recorded as {@linkplain Engine#NEVER_SHARED never shared}.
     */
    List<Row> queryAlone(Pipelined<?> read) {
        return query(read.operation(), read.original(), read.sql(), read.values(), read.maxRows(), read);
    }

    private List<Row> query(
            String operation, String original, String jdbcSql, Object[] values, int maxRows, Pipelined<?> vetted) {
        checkUsable(operation);
        try (PreparedStatement ps = connection.prepareStatement(jdbcSql)) {
            bindAll(ps, values);
            // always set both: a driver's statement cache (Connector/J cachePrepStmts) hands back
            // the statement object of an earlier call with its max rows and fetch size still set
            ps.setMaxRows(maxRows);
            ps.setFetchSize(0);
            boolean hasResult = execute(ps);
            if (!hasResult) {
                return List.of();
            }
            try (ResultSet rs = ps.getResultSet()) {
                if (vetted != null && driver.pipelineVetsColumns() && !driver.sharesColumns(rs.getMetaData())) {
                    engine.readTook(vetted, Engine.NEVER_SHARED);
                }
                return readRows(rs, maxRows);
            }
        } catch (SQLException e) {
            throw fail(operation, original, e);
        } finally {
            currentStatement = null;
        }
    }

    /** Reads up to {@code maxRows} rows (0: all) of a result set. */
    private List<Row> readRows(ResultSet rs, int maxRows) throws SQLException {
        RowReader reader = new RowReader(driver, rs);
        List<Row> rows = new ArrayList<>();
        while ((maxRows == 0 || rows.size() < maxRows) && rs.next()) {
            rows.add(reader.read(rs));
        }
        return rows;
    }

    /**
     * Runs several reads of one statement as one multi-statement execute: one round trip that
     * commits nothing unless every read succeeds (see {@link Pipelined}).
     *
     * @param reads reads that {@linkplain Pipelined#fits fit} the first one
     * @return each read's rows, in order
     * @throws SQLException from the driver; nothing of the execute was committed
     */
    List<List<Row>> queryPipelined(List<? extends Pipelined<?>> reads) throws SQLException {
        Pipelined<?> first = reads.getFirst();
        PreparedStatement ps = null;
        try {
            if (!pipelining) {
                driver.startPipelining(connection);
                pipelining = true;
            }
            ps = driver.preparePipelined(connection, first.sql(), reads.size());
            int index = 1;
            for (Pipelined<?> read : reads) {
                for (Object v : read.values()) {
                    driver.bind(ps, index++, v);
                }
            }
            ps.setMaxRows(first.maxRows());
            ps.setFetchSize(0);
            currentStatement = ps;
            boolean hasResult = ps.execute();
            for (int i = driver.pipelineLeadingResults(); i > 0; i--) {
                hasResult = ps.getMoreResults();
            }
            List<List<Row>> out = new ArrayList<>(reads.size());
            int maxRows = first.maxRows();
            for (int i = 0; i < reads.size(); i++) {
                if (!hasResult) {
                    throw new SQLException(
                            "statement " + (i + 1) + " of " + reads.size() + " sent together returned no result set");
                }
                try (ResultSet rs = ps.getResultSet()) {
                    if (i == 0 && driver.pipelineVetsColumns() && !driver.sharesColumns(rs.getMetaData())) {
                        // the statement's columns changed since it was vetted: run each read alone
                        throw new SQLException("the columns of reads sent together cannot be shared");
                    }
                    out.add(readRows(rs, maxRows));
                }
                hasResult = ps.getMoreResults();
            }
            return out;
        } catch (SQLException e) {
            markIfBroken(e);
            if (!broken && ps != null) {
                try {
                    driver.pipelineFailed(connection);
                } catch (SQLException f) {
                    e.addSuppressed(f);
                    broken = true;
                }
            }
            throw e;
        } finally {
            currentStatement = null;
            closeQuietly(ps);
        }
    }

    @Override
    public ExecResult execute(String sql, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return update("execute", sql, p.sql(), positional("execute", sql, p, args), List.of());
    }

    @Override
    public ExecResult execute(String sql, Map<String, ?> params) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return update("execute", sql, p.sql(), named("execute", sql, p, params), List.of());
    }

    @Override
    public ExecResult execute(SqlStatement statement) {
        String sql = statement.sql();
        return update(
                "execute",
                sql,
                sql,
                built("execute", statement),
                statement.generatedKeyColumns(),
                statement.suppliedKeys());
    }

    ExecResult update(String operation, String original, String jdbcSql, Object[] values, List<String> keyColumns) {
        return update(operation, original, jdbcSql, values, keyColumns, List.of());
    }

    private ExecResult update(
            String operation,
            String original,
            String jdbcSql,
            Object[] values,
            List<String> keyColumns,
            List<Object> suppliedKeys) {
        checkUsable(operation);
        try (PreparedStatement ps = driver.prepareUpdate(connection, jdbcSql, keyColumns)) {
            bindAll(ps, values);
            boolean hasResult = execute(ps);
            long count;
            List<String> labels = List.of();
            List<Row> rows = List.of();
            if (hasResult) {
                try (ResultSet rs = ps.getResultSet()) {
                    RowReader reader = new RowReader(driver, rs);
                    labels = reader.columns().labels();
                    rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(reader.read(rs));
                    }
                }
                count = rows.size();
            } else {
                count = Math.max(0, ps.getUpdateCount());
            }
            List<Object> keys = driver.insertedKeys(readKeys(ps), suppliedKeys);
            return new ExecResult(count, keys, driver.status(original, count), labels, rows);
        } catch (SQLException e) {
            throw fail(operation, original, e);
        } finally {
            currentStatement = null;
        }
    }

    private static List<Object> readKeys(PreparedStatement ps) throws SQLException {
        List<Object> keys = new ArrayList<>();
        try (ResultSet rs = ps.getGeneratedKeys()) {
            if (rs != null) {
                while (rs.next()) {
                    keys.add(DriverSupport.normalize(rs.getObject(1)));
                }
            }
        } catch (java.sql.SQLFeatureNotSupportedException e) {
            return List.of();
        }
        return keys;
    }

    @Override
    public BatchResult executeMany(String sql, List<? extends List<?>> rows) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        if (rows.isEmpty()) {
            return new BatchResult(new long[0], 0);
        }
        List<Object[]> bound = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Object[] args = rows.get(i).toArray();
            try {
                bound.add(p.bindPositional(args));
            } catch (VtdbException e) {
                throw new VtdbException("executeMany row " + (i + 1) + ": " + e.getMessage(), e);
            }
            // every row before the first is sent: nothing of the batch is written
            InvalidText.check(engine, "executeMany", sql, p, args, i + 1);
        }
        checkUsable("executeMany");
        return inTransaction(s -> batch(sql, p.sql(), bound));
    }

    private BatchResult batch(String original, String jdbcSql, List<Object[]> rows) {
        try (PreparedStatement ps = connection.prepareStatement(jdbcSql)) {
            for (Object[] row : rows) {
                bindAll(ps, row);
                ps.addBatch();
            }
            currentStatement = ps;
            checkInterrupted();
            int[] counts = driver.batchCounts(original, ps.executeBatch());
            long[] result = new long[counts.length];
            long total = 0;
            boolean unknown = false;
            for (int i = 0; i < counts.length; i++) {
                result[i] = counts[i];
                if (counts[i] >= 0) {
                    total += counts[i];
                } else {
                    unknown = true;
                }
            }
            return new BatchResult(result, unknown && total == 0 ? -1 : total);
        } catch (SQLException e) {
            throw fail("executeMany", original, unwrapBatch(e));
        } finally {
            currentStatement = null;
        }
    }

    private static SQLException unwrapBatch(SQLException e) {
        if (e instanceof java.sql.BatchUpdateException && e.getNextException() != null) {
            SQLException next = e.getNextException();
            next.addSuppressed(e);
            return next;
        }
        return e;
    }

    // ---- cursors ----

    @Override
    public Cursor cursor(String sql, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        return openCursor(sql, p.sql(), positional("cursor", sql, p, args));
    }

    @Override
    public Stream<Row> stream(String sql, Object... args) {
        SqlParser.Parsed p = engine.parser.parse(sql);
        Object[] values = positional("stream", sql, p, args);
        if (values.length == 0 && txDepth == 0) {
            checkUsable("stream");
            DriverSupport.RowSource rows;
            try {
                rows = connection.getAutoCommit() ? driver.openStream(connection, p.sql()) : null;
            } catch (SQLException e) {
                throw fail("stream", sql, e);
            }
            if (rows != null) {
                source = rows;
                return new SourceRows(this, sql, rows).stream();
            }
        }
        return openCursor(sql, p.sql(), values).stream();
    }

    /**
     * Ends a stream read without a cursor: stops it when rows are left.
     *
     * @param rows the stream's source
     */
    void sourceClosed(DriverSupport.RowSource rows) {
        if (source == rows) {
            source = null;
        }
        rows.close();
    }

    private void closeSource() {
        if (source != null) {
            sourceClosed(source);
        }
    }

    private JdbcCursor openCursor(String original, String jdbcSql, Object[] values) {
        checkUsable("cursor");
        boolean ownTx = false;
        PreparedStatement ps = null;
        try {
            if (driver.cursorNeedsTransaction() && connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                ownTx = true;
                cursorTx = true;
            }
            ps = connection.prepareStatement(jdbcSql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setMaxRows(0); // a cached statement may carry fetchRow's limit
            driver.prepareCursor(connection, ps, engine.config.fetchSize());
            bindAll(ps, values);
            currentStatement = ps;
            checkInterrupted();
            boolean bulk = SpinWait.beginBulk();
            ResultSet rs;
            try {
                rs = ps.executeQuery();
            } finally {
                SpinWait.endBulk(bulk);
            }
            JdbcCursor cursor = new JdbcCursor(this, original, ps, rs, new RowReader(driver, rs), ownTx);
            cursors.add(cursor);
            return cursor;
        } catch (SQLException e) {
            closeQuietly(ps);
            if (ownTx) {
                endCursorTransaction(false);
            }
            throw fail("cursor", original, e);
        } finally {
            currentStatement = null;
        }
    }

    /**
     * Ends a cursor; one that opened a transaction of its own commits it, so that statements the
     * callback ran while it was open are kept, as they would be in auto-commit.
     */
    void cursorClosed(JdbcCursor cursor, boolean ownTx) {
        cursors.remove(cursor);
        if (ownTx) {
            endCursorTransaction(true);
        }
    }

    private void endCursorTransaction(boolean commit) {
        cursorTx = false;
        try {
            if (commit) {
                commit();
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            markIfBroken(e);
            if (commit) {
                rollbackQuietly();
                restoreAutoCommit();
                throw fail("commit of the transaction a cursor opened", null, e);
            }
        }
        restoreAutoCommit();
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            markIfBroken(e);
        }
    }

    /** Makes {@code s} the statement a cancel reaches, without a volatile write when it already is. */
    void registerStatement(Statement s) {
        if (currentStatement != s) {
            currentStatement = s;
        }
    }

    /** Forgets {@code s} as the statement a cancel reaches, if it still is (only this worker writes it). */
    void unregisterStatement(Statement s) {
        if (currentStatement == s) {
            currentStatement = null;
        }
    }

    // ---- transactions ----

    @Override
    public Transaction begin() {
        checkUsable("begin");
        checkNoCursorTransaction("begin");
        try {
            if (txDepth == 0) {
                connection.setAutoCommit(false);
                txDepth = 1;
                return new JdbcTransaction(this, null);
            }
            Savepoint sp = connection.setSavepoint();
            txDepth++;
            return new JdbcTransaction(this, sp);
        } catch (SQLException e) {
            throw fail("begin", null, e);
        }
    }

    void commitTransaction(Savepoint savepoint) {
        try {
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            } else {
                checkInterrupted();
                commit();
            }
        } catch (SQLException e) {
            throw fail("commit", null, e);
        } finally {
            txDepth--;
            if (savepoint == null) {
                restoreAutoCommit();
            }
        }
    }

    void rollbackTransaction(Savepoint savepoint) {
        try {
            if (savepoint != null) {
                connection.rollback(savepoint);
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw fail("rollback", null, e);
        } finally {
            txDepth--;
            if (savepoint == null) {
                restoreAutoCommit();
            }
        }
    }

    private void commit() throws SQLException {
        try {
            connection.commit();
        } catch (SQLException e) {
            if (driver.isConnectionError(e)) {
                broken = true;
                throw new CommitOutcomeUnknownException(
                        engine.name() + " lost its connection to "
                                + driver.describeServer()
                                + " during COMMIT; the transaction may or may not be committed: "
                                + Secrets.mask(Errors.firstLine(e.getMessage())),
                        e);
            }
            throw e;
        }
    }

    private void restoreAutoCommit() {
        try {
            if (!broken) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            markIfBroken(e);
        }
    }

    @Override
    public <T> T inTransaction(SessionCallback<T> callback) {
        return inTransaction(TxOptions.DEFAULT, callback);
    }

    <T> T inTransaction(TxOptions options, SessionCallback<T> callback) {
        checkUsable("inTransaction");
        checkNoCursorTransaction("inTransaction");
        if (txDepth > 0) {
            try (Transaction tx = begin()) {
                T value = call(callback);
                tx.commit();
                return value;
            }
        }
        int attempt = 0;
        while (true) {
            try {
                return runTransaction(options, callback);
            } catch (QueryException e) {
                if (!e.isTransactionConflict() || attempt >= options.retries() || broken || timeLeftNanos() <= 0) {
                    throw e;
                }
                attempt++;
                long base = options.backoff().toNanos() << Math.min(attempt - 1, 16);
                long pause = base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2 + 1));
                LOG.debug(
                        "{}: transaction conflict ({}), retry {}/{} in {}µs",
                        engine.name(),
                        e.sqlState(),
                        attempt,
                        options.retries(),
                        pause / 1000);
                LockSupport.parkNanos(Math.min(pause, Math.max(0, timeLeftNanos())));
                checkInterrupted();
            }
        }
    }

    private <T> T runTransaction(TxOptions options, SessionCallback<T> callback) {
        int previousIsolation = -1;
        boolean previousReadOnly = false;
        try {
            connection.setAutoCommit(false);
            txDepth = 1;
            if (options.isolation() != TxOptions.Isolation.SERVER_DEFAULT) {
                previousIsolation = connection.getTransactionIsolation();
                connection.setTransactionIsolation(options.isolation().jdbcLevel());
            }
            if (options.readOnly()) {
                previousReadOnly = connection.isReadOnly();
                connection.setReadOnly(true);
            }
            if (options.deferrable()) {
                driver.setDeferrable(connection);
            }
        } catch (SQLException e) {
            txDepth = 0;
            restoreAutoCommit();
            throw fail("begin", null, e);
        }
        try {
            T value = call(callback);
            checkInterrupted();
            try {
                commit();
            } catch (SQLException e) {
                throw fail("commit", null, e);
            }
            return value;
        } catch (Throwable t) {
            if (!broken) {
                try {
                    connection.rollback();
                } catch (SQLException rb) {
                    markIfBroken(rb);
                    t.addSuppressed(rb);
                }
            }
            throw t;
        } finally {
            txDepth = 0;
            try {
                if (!broken) {
                    if (options.readOnly()) {
                        connection.setReadOnly(previousReadOnly);
                    }
                    if (previousIsolation >= 0) {
                        connection.setTransactionIsolation(previousIsolation);
                    }
                }
            } catch (SQLException e) {
                markIfBroken(e);
            }
            restoreAutoCommit();
        }
    }

    private <T> T call(SessionCallback<T> callback) {
        try {
            return callback.apply(this);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new VtdbException(engine.name() + ": callback failed: " + e, e);
        }
    }

    @Override
    public boolean inTransaction() {
        return txDepth > 0;
    }

    @Override
    public Table table(String name) {
        checkUsable("table");
        try {
            return Reflection.reflect(connection, driver, name);
        } catch (SQLException e) {
            throw fail("table", null, e);
        }
    }

    @Override
    public Connection connection() {
        checkOwner("connection");
        detachSource();
        return connection;
    }

    // ---- helpers ----

    /** Orders positional arguments; refuses text that is not valid Unicode (see {@link InvalidText}). */
    private Object[] positional(String operation, String sql, SqlParser.Parsed p, Object[] args) {
        Object[] values = p.bindPositional(args);
        InvalidText.check(engine, operation, sql, p, args, 0);
        return values;
    }

    private Object[] named(String operation, String sql, SqlParser.Parsed p, Map<String, ?> params) {
        Object[] values = p.bindNamed(params);
        InvalidText.checkNamed(engine, operation, sql, p, params);
        return values;
    }

    private Object[] built(String operation, SqlStatement statement) {
        Object[] values = statement.parameters().toArray();
        InvalidText.check(engine, operation, statement.sql(), null, values, 0);
        return values;
    }

    private boolean execute(PreparedStatement ps) throws SQLException {
        currentStatement = ps;
        checkInterrupted();
        return ps.execute();
    }

    private void bindAll(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            driver.bind(ps, i + 1, values[i]);
        }
    }

    void checkInterrupted() {
        Request<?> r = request;
        if (r != null && r.interrupted) {
            if (r.deadlineHit) {
                throw engine.deadline(r, null);
            }
            throw new VtdbException(engine.name() + " " + r.operation + " was cancelled");
        }
    }

    /** Frees the connection from a stream read without a cursor: its rows not read yet are kept aside. */
    private void detachSource() {
        DriverSupport.RowSource rows = source;
        if (rows != null) {
            source = null;
            rows.detach();
        }
    }

    /**
     * Refuses to begin a transaction while a cursor opened outside one holds its own: committing
     * or rolling back either would end the other.
     */
    private void checkNoCursorTransaction(String operation) {
        if (cursorTx && txDepth == 0) {
            throw new VtdbException(engine.name() + " " + operation
                    + ": a cursor or stream opened outside a transaction is still open and holds a transaction of"
                    + " its own until it is closed; close it first, or open it inside the transaction");
        }
    }

    private long timeLeftNanos() {
        Request<?> r = request;
        return r == null ? Long.MAX_VALUE : r.deadlineNanos - System.nanoTime();
    }

    private void checkUsable(String operation) {
        checkOwner(operation);
        detachSource();
        if (broken) {
            throw new dev.vtdb.ConnectionLostException(
                    engine.name() + " " + operation + ": the connection was lost earlier in this callback", null);
        }
        checkInterrupted();
    }

    /**
     * Refuses a call from outside the callback the session was lent to: after it returned (the
     * connection then serves other calls, whose transaction the call would join or end) or from
     * another thread while it runs (one connection runs one statement at a time).
     */
    private void checkOwner(String operation) {
        if (engine.inCallback.get() != this) {
            throw new VtdbException(engine.name() + " " + operation
                    + ": this session was lent to a callback that has returned, or is used from another thread"
                    + " than the callback's; use a session only inside its callback, on the callback's thread");
        }
    }

    RuntimeException fail(String operation, String sql, SQLException e) {
        markIfBroken(e);
        Request<?> r = request;
        if (r != null && r.interrupted && driver.isCancellation(e)) {
            if (r.deadlineHit) {
                return engine.deadline(r, e);
            }
            return new VtdbException(engine.name() + " " + operation + " was cancelled", e);
        }
        return Errors.translate(driver, engine.name(), operation, sql, e);
    }

    private void markIfBroken(SQLException e) {
        if (driver.isConnectionError(e)) {
            broken = true;
        } else {
            try {
                if (connection.isClosed()) {
                    broken = true;
                }
            } catch (SQLException ignored) {
                broken = true;
            }
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.trace("close failed", e);
            }
        }
    }
}
