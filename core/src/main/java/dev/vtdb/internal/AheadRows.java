package dev.vtdb.internal;

import dev.vtdb.Row;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Rows made ahead of the caller a batch at a time, in one tight loop per batch ({@link #fill}), for
 * a cursor and for a driver's own stream. A failure while filling reaches the caller after the rows
 * made before it, as the server sent them.
 */
abstract class AheadRows {
    /** Rows per batch: one check for cancellation each. */
    static final int BATCH = 64;

    private final Row[] ahead = new Row[BATCH];
    private int aheadAt;
    private int aheadEnd;
    private boolean exhausted;
    /** What ended the rows, thrown once the rows made before it are taken. */
    private RuntimeException failure;

    /**
     * Makes the next rows into {@code out} from its start.
     *
     * @param out an empty array of {@link #BATCH} rows; rows written before a failure are kept
     * @return the rows made; fewer than {@code out.length} only when the rows ended
     */
    abstract int fill(Row[] out);

    /** Called once, when the rows have ended or failed. */
    void ended() {}

    /**
     * Takes the next row.
     *
     * @return the row, or {@code null} after the last one
     */
    final Row nextRow() {
        if (aheadAt == aheadEnd && !refill()) {
            return null;
        }
        Row r = ahead[aheadAt];
        ahead[aheadAt++] = null;
        return r;
    }

    private boolean refill() {
        if (failure != null) {
            RuntimeException e = failure;
            failure = null;
            throw e;
        }
        if (exhausted) {
            return false;
        }
        int n;
        try {
            n = fill(ahead);
            exhausted = n < BATCH;
        } catch (RuntimeException e) {
            // the rows made before the failure first (the array is empty before each batch)
            n = 0;
            while (n < BATCH && ahead[n] != null) {
                n++;
            }
            exhausted = true;
            failure = e;
        }
        if (exhausted) {
            ended();
        }
        if (n == 0 && failure != null) {
            return refill();
        }
        aheadAt = 0;
        aheadEnd = n;
        return n > 0;
    }

    /**
     * A lazy stream of the rows.
     *
     * @param onClose what closing the stream does
     * @return the stream
     */
    final Stream<Row> stream(Runnable onClose) {
        Spliterator<Row> split =
                new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
                    @Override
                    public boolean tryAdvance(Consumer<? super Row> action) {
                        Row r = nextRow();
                        if (r == null) {
                            return false;
                        }
                        action.accept(r);
                        return true;
                    }
                };
        return StreamSupport.stream(split, false).onClose(onClose);
    }
}
