package dev.vtdb;

import java.util.Arrays;

/**
 * Outcome of {@link Database#executeMany}: one count per argument row, all committed together.
 *
 * <p>A count of {@link java.sql.Statement#SUCCESS_NO_INFO} (-2) means the driver ran the row
 * (for instance inside a rewritten multi-row INSERT) without reporting its own count; {@link
 * #totalRowCount()} then still holds the number of rows affected when the driver reported it.
 */
public final class BatchResult {
    private final long[] counts;
    private final long totalRowCount;

    /**
     * Creates a batch result.
     *
     * @param counts per-row counts as reported by the driver
     * @param totalRowCount rows affected in total
     */
    public BatchResult(long[] counts, long totalRowCount) {
        this.counts = counts.clone();
        this.totalRowCount = totalRowCount;
    }

    /**
     * Returns the per-row counts.
     *
     * @return a copy of the counts, one per argument row
     */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * Returns how many argument rows were executed.
     *
     * @return the number of statements in the batch
     */
    public int size() {
        return counts.length;
    }

    /**
     * Returns the number of rows affected by the whole batch.
     *
     * @return total affected rows
     */
    public long totalRowCount() {
        return totalRowCount;
    }

    @Override
    public String toString() {
        return "BatchResult[statements=" + counts.length + ", totalRowCount=" + totalRowCount + ", counts="
                + (counts.length <= 16 ? Arrays.toString(counts) : "[" + counts.length + " counts]") + "]";
    }
}
