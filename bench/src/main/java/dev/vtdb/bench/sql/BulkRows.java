package dev.vtdb.bench.sql;

/**
 * The rows of the bulk workloads ({@code executeMany}, COPY): row {@code i} is {@code (i, a(i),
 * b(i))}. Every peer, and the Python reference, generates them the same way while it sends them.
 */
public final class BulkRows {
    private BulkRows() {}

    /**
     * Returns column {@code a} of row {@code i}.
     *
     * @param i row number
     * @return an int in {@code [0, 100000)}
     */
    public static int a(int i) {
        return (int) ((i * 7919L) % 100_000);
    }

    /**
     * Returns column {@code b} of row {@code i}.
     *
     * @param i row number
     * @return {@code "row-" + i}
     */
    public static String b(int i) {
        return "row-" + i;
    }
}
