package dev.vtdb.bench;

import dev.vtdb.bench.sql.SqlPeer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** Request shapes shared by the benchmark classes, so every peer gets exactly the same work. */
public final class Workloads {
    /** Queries (or updates) per request in the "multiple queries" and "updates" workloads. */
    public static final int PER_REQUEST = 20;

    /** Rows of the executeMany workload. */
    public static final int EXECUTE_MANY_ROWS = 10_000;

    /** Rows of the COPY workload. */
    public static final int COPY_ROWS = 1_000_000;

    /** Rows of {@code bench_stream}, read by the streaming workload. */
    public static final int STREAM_ROWS = 1_000_000;

    /** Rows per round trip of the streaming workload. */
    public static final int FETCH_SIZE = 10_000;

    private Workloads() {}

    /**
     * How long one benchmark invocation keeps its callers issuing requests (then they drain):
     * long enough that the drain is a small part of it, short enough to fit JMH's iterations.
     */
    public static final long WINDOW_NANOS = Long.getLong("vtdb.bench.windowMillis", 250) * 1_000_000L;

    /**
     * Maps a random number to a {@code world} id.
     *
     * @param random a non-negative random number
     * @return an id in {@code [1, 10000]}
     */
    public static int worldId(int random) {
        return 1 + random % Servers.WORLD_ROWS;
    }

    /**
     * Draws {@value #PER_REQUEST} random ids (duplicates allowed, like TechEmpower).
     *
     * @return the ids
     */
    public static int[] randomIds() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int[] ids = new int[PER_REQUEST];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + r.nextInt(Servers.WORLD_ROWS);
        }
        return ids;
    }

    /**
     * Draws {@value #PER_REQUEST} distinct random ids in ascending order (a fixed lock order, so
     * concurrent update batches cannot deadlock).
     *
     * @return the ids
     */
    public static int[] distinctSortedIds() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int stride = Servers.WORLD_ROWS / PER_REQUEST;
        int[] ids = new int[PER_REQUEST];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + i * stride + r.nextInt(stride);
        }
        Arrays.sort(ids);
        return ids;
    }

    /**
     * Issues one "updates" request: {@value #PER_REQUEST} updates with new random numbers.
     *
     * @param peer the peer
     * @return completes with the rows updated
     */
    public static CompletableFuture<Integer> updates(SqlPeer peer) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int[] values = new int[PER_REQUEST];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + r.nextInt(10_000);
        }
        return peer.updates(distinctSortedIds(), values);
    }

    /**
     * Empties a bulk-load table of the PostgreSQL server.
     *
     * @param table {@code bench_insert} or {@code bench_copy}
     * @throws IllegalStateException if the server refuses
     */
    public static void truncatePg(String table) {
        try (Connection c = DriverManager.getConnection(Servers.pgJdbcUrl(), Servers.PG_USER, null);
                Statement s = c.createStatement()) {
            s.execute("truncate table " + table);
        } catch (SQLException e) {
            throw new IllegalStateException("truncate " + table + ": " + e.getMessage(), e);
        }
    }
}
