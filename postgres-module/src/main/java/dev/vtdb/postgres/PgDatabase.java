package dev.vtdb.postgres;

import dev.vtdb.Database;
import java.time.Duration;

/**
 * A PostgreSQL {@link Database}: everything of the core API plus PostgreSQL's own features.
 * Obtain one from {@link Postgres#connect(String)}.
 */
public interface PgDatabase extends Database {
    /**
     * Returns the options this database was opened with (password kept, never printed).
     *
     * @return the options
     */
    PgOptions options();

    @Override
    PgDatabase withTimeout(Duration timeout);
}
