package dev.vtdb;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Database#inTransaction(TxOptions, SessionCallback)} runs a transaction: isolation,
 * read-only, deferrable, and retries on serialization failures and deadlocks.
 *
 * <p>Immutable; build with {@link #builder()} or start from {@link #DEFAULT}. The transaction is
 * rolled back on any exception, cancellation or deadline. A retry re-runs the whole callback, so
 * it must not have side effects outside the database.
 */
public final class TxOptions {

    /** Transaction isolation levels; {@code SERVER_DEFAULT} leaves the server's setting alone. */
    public enum Isolation {
        /** Keep the connection's default isolation. */
        SERVER_DEFAULT(-1),
        /** READ UNCOMMITTED. */
        READ_UNCOMMITTED(java.sql.Connection.TRANSACTION_READ_UNCOMMITTED),
        /** READ COMMITTED. */
        READ_COMMITTED(java.sql.Connection.TRANSACTION_READ_COMMITTED),
        /** REPEATABLE READ. */
        REPEATABLE_READ(java.sql.Connection.TRANSACTION_REPEATABLE_READ),
        /** SERIALIZABLE. */
        SERIALIZABLE(java.sql.Connection.TRANSACTION_SERIALIZABLE);

        private final int jdbcLevel;

        Isolation(int jdbcLevel) {
            this.jdbcLevel = jdbcLevel;
        }

        /**
         * Returns the JDBC constant of this level.
         *
         * @return a {@code java.sql.Connection.TRANSACTION_*} value, or -1 for the server default
         */
        public int jdbcLevel() {
            return jdbcLevel;
        }
    }

    /** Server-default isolation, read-write, no retries. */
    public static final TxOptions DEFAULT = builder().build();

    private final Isolation isolation;
    private final boolean readOnly;
    private final boolean deferrable;
    private final int retries;
    private final Duration backoff;

    private TxOptions(Builder b) {
        this.isolation = b.isolation;
        this.readOnly = b.readOnly;
        this.deferrable = b.deferrable;
        this.retries = b.retries;
        this.backoff = b.backoff;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this object's values.
     *
     * @return a builder to derive a changed copy
     */
    public Builder toBuilder() {
        return new Builder()
                .isolation(isolation)
                .readOnly(readOnly)
                .deferrable(deferrable)
                .retries(retries)
                .backoff(backoff);
    }

    /**
     * Returns the isolation level.
     *
     * @return the level
     */
    public Isolation isolation() {
        return isolation;
    }

    /**
     * Tells whether the transaction is read-only.
     *
     * @return {@code true} for READ ONLY
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Tells whether the transaction is DEFERRABLE (PostgreSQL, with SERIALIZABLE READ ONLY).
     *
     * @return {@code true} for DEFERRABLE
     */
    public boolean deferrable() {
        return deferrable;
    }

    /**
     * Returns how many times a conflicting transaction is re-run.
     *
     * @return retries after the first attempt; 0 means no retry
     */
    public int retries() {
        return retries;
    }

    /**
     * Returns the first backoff between attempts; it doubles each time, with jitter.
     *
     * @return the base backoff
     */
    public Duration backoff() {
        return backoff;
    }

    @Override
    public String toString() {
        return "TxOptions[isolation=" + isolation + ", readOnly=" + readOnly + ", deferrable=" + deferrable
                + ", retries=" + retries + ", backoff=" + backoff.toMillis() + "ms]";
    }

    /** Builder of {@link TxOptions}; {@link #build()} validates. */
    public static final class Builder {
        private Isolation isolation = Isolation.SERVER_DEFAULT;
        private boolean readOnly;
        private boolean deferrable;
        private int retries;
        private Duration backoff = Duration.ofMillis(5);

        private Builder() {}

        /**
         * Sets the isolation level.
         *
         * @param isolation the level
         * @return this builder
         */
        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /**
         * Makes the transaction read-only.
         *
         * @param readOnly {@code true} for READ ONLY
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Makes the transaction DEFERRABLE (PostgreSQL; ignored elsewhere).
         *
         * @param deferrable {@code true} for DEFERRABLE
         * @return this builder
         */
        public Builder deferrable(boolean deferrable) {
            this.deferrable = deferrable;
            return this;
        }

        /**
         * Sets how many times a transaction that failed with a serialization failure or deadlock
         * (SQLSTATE 40001/40P01, MySQL 1213/1205) is re-run.
         *
         * @param retries 0 to 100
         * @return this builder
         */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /**
         * Sets the first pause between attempts; it doubles on each retry, with jitter.
         *
         * @param backoff zero or positive
         * @return this builder
         */
        public Builder backoff(Duration backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad value
         */
        public TxOptions build() {
            if (retries < 0 || retries > 100) {
                throw new IllegalArgumentException("retries must be between 0 and 100 but was " + retries);
            }
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("backoff must be >= 0 but was " + backoff);
            }
            if (deferrable && !readOnly) {
                throw new IllegalArgumentException("deferrable requires readOnly(true)");
            }
            return new TxOptions(this);
        }
    }
}
