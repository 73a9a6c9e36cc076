package dev.vtdb.bench.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vtdb.bench.Servers;
import dev.vtdb.bench.Threads;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Raw HikariCP + JDBC driver (pgjdbc, Connector/J), made asynchronous the two ways Java services
 * do it today: a fixed pool of {@value Servers#PLATFORM_THREADS} platform threads in front of the
 * 16 connections ({@code jdbc-platform}), or one new virtual thread per call ({@code
 * jdbc-virtual}); and, as the one-caller reference, on the caller's own thread before the call
 * returns ({@code jdbc-direct}: no asynchrony at all). Each call borrows a connection for its
 * whole duration.
 */
final class JdbcPeer implements SqlPeer {
    private final Dialect dialect;
    private final HikariDataSource ds;
    private final ExecutorService platform;
    private final ThreadFactory virtual;

    private JdbcPeer(Dialect dialect, HikariDataSource ds, ExecutorService platform, ThreadFactory virtual) {
        this.dialect = dialect;
        this.ds = ds;
        this.platform = platform;
        this.virtual = virtual;
    }

    /**
     * Creates the peer.
     *
     * @param dialect which database
     * @param virtualThreads one virtual thread per call instead of the platform pool
     * @return the peer, its pool filled
     */
    static JdbcPeer create(Dialect dialect, boolean virtualThreads) {
        String tag = (dialect == Dialect.POSTGRES ? "pg" : "my") + (virtualThreads ? "-jdbc-vt" : "-jdbc");
        HikariDataSource ds = dataSource(dialect, "bench-" + tag);
        return virtualThreads
                ? new JdbcPeer(dialect, ds, null, Threads.virtual("bench-" + tag + "-"))
                : new JdbcPeer(
                        dialect, ds, Threads.fixedPlatform("bench-" + tag + "-", Servers.PLATFORM_THREADS), null);
    }

    /**
     * Creates the peer that runs each call on the caller's thread, before returning a completed
     * future: the cost of the driver and the pool alone, measured at one caller.
     *
     * @param dialect which database
     * @return the peer, its pool filled
     */
    static JdbcPeer direct(Dialect dialect) {
        String tag = (dialect == Dialect.POSTGRES ? "pg" : "my") + "-jdbc-direct";
        return new JdbcPeer(dialect, dataSource(dialect, "bench-" + tag), null, null);
    }

    /**
     * Creates the HikariCP pool every JDBC-based peer uses: {@value Servers#POOL_SIZE}
     * connections, filled at start.
     *
     * @param dialect which database
     * @param poolName pool (and housekeeper thread) name
     * @return the pool
     */
    static HikariDataSource dataSource(Dialect dialect, String poolName) {
        HikariConfig cfg = new HikariConfig();
        if (dialect == Dialect.POSTGRES) {
            cfg.setJdbcUrl(Servers.pgJdbcUrl());
            cfg.setUsername(Servers.PG_USER);
        } else {
            cfg.setJdbcUrl(Servers.mysqlJdbcUrl());
            cfg.setUsername(Servers.MY_USER);
        }
        cfg.setPoolName(poolName);
        cfg.setMaximumPoolSize(Servers.POOL_SIZE);
        cfg.setMinimumIdle(Servers.POOL_SIZE);
        cfg.setConnectionTimeout(120_000);
        return new HikariDataSource(cfg);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> CompletableFuture<T> call(Work<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable task = () -> {
            try (Connection c = ds.getConnection()) {
                f.complete(work.run(c));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        };
        if (platform != null) {
            platform.execute(task);
        } else if (virtual != null) {
            virtual.newThread(task).start();
        } else {
            task.run();
        }
        return f;
    }

    private static int select(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Dialect.POINT_SELECT)) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no world row " + id);
                }
                return rs.getInt(2);
            }
        }
    }

    @Override
    public CompletableFuture<Integer> pointSelect(int id) {
        return call(c -> select(c, id));
    }

    @Override
    public CompletableFuture<Integer> multiSelect(int[] ids) {
        return call(c -> {
            int sum = 0;
            for (int id : ids) {
                sum += select(c, id);
            }
            return sum;
        });
    }

    @Override
    public CompletableFuture<List<Fortune>> fortunes() {
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement(Dialect.FORTUNES);
                    ResultSet rs = ps.executeQuery()) {
                List<Fortune> list = new ArrayList<>(16);
                while (rs.next()) {
                    list.add(new Fortune(rs.getInt(1), rs.getString(2)));
                }
                return list;
            }
        });
    }

    @Override
    public CompletableFuture<Integer> updates(int[] sortedIds, int[] values) {
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement(Dialect.UPDATE)) {
                for (int i = 0; i < sortedIds.length; i++) {
                    ps.setInt(1, values[i]);
                    ps.setInt(2, sortedIds[i]);
                    ps.addBatch();
                }
                int n = 0;
                for (int r : ps.executeBatch()) {
                    n += Math.max(r, 0);
                }
                return n;
            }
        });
    }

    @Override
    public CompletableFuture<Long> executeMany(int rows) {
        return call(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(Dialect.INSERT)) {
                for (int i = 0; i < rows; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, BulkRows.a(i));
                    ps.setString(3, BulkRows.b(i));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
                return (long) rows;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public CompletableFuture<Long> copyIn(int rows) {
        if (dialect != Dialect.POSTGRES) {
            throw new UnsupportedOperationException("COPY is PostgreSQL only");
        }
        return call(c -> {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_copy (id, a, b) FROM STDIN");
            try {
                byte[] buf = new byte[1 << 16];
                int pos = 0;
                for (int i = 0; i < rows; i++) {
                    if (pos > buf.length - 64) {
                        copy.writeToCopy(buf, 0, pos);
                        pos = 0;
                    }
                    pos = appendInt(buf, pos, i);
                    buf[pos++] = '\t';
                    pos = appendInt(buf, pos, BulkRows.a(i));
                    buf[pos++] = '\t';
                    byte[] b = BulkRows.b(i).getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(b, 0, buf, pos, b.length);
                    pos += b.length;
                    buf[pos++] = '\n';
                }
                copy.writeToCopy(buf, 0, pos);
                return copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        });
    }

    private static int appendInt(byte[] buf, int pos, int v) {
        String s = Integer.toString(v);
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        return pos;
    }

    @Override
    public CompletableFuture<Long> streamRead(int fetchSize) {
        return call(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(Dialect.STREAM)) {
                ps.setFetchSize(fetchSize);
                long n = 0;
                long sum = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getInt(1) + rs.getInt(2) + rs.getString(3).length();
                        n++;
                    }
                }
                c.commit();
                return sum == Long.MIN_VALUE ? -1 : n;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public CompletableFuture<?> sleep(double seconds) {
        return call(c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.sleep(seconds));
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void close() {
        if (platform != null) {
            platform.shutdown();
            try {
                platform.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ds.close();
    }
}
