package dev.vtdb.postgres;

/** The data formats of PostgreSQL's COPY, for {@link PgDatabase#copyFromStream} and friends. */
public enum CopyFormat {
    /** Tab-separated text, {@code \N} for NULL, backslash escapes (COPY's default). */
    TEXT,
    /** Comma-separated values, empty unquoted field for NULL. */
    CSV,
    /** PostgreSQL's binary COPY format. */
    BINARY
}
