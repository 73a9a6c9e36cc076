package dev.vtdb.postgres.internal;

import dev.vtdb.internal.Engine;
import dev.vtdb.internal.SqlDatabase;
import dev.vtdb.postgres.PgDatabase;
import dev.vtdb.postgres.PgOptions;
import java.time.Duration;

/** The PostgreSQL database: the core engine plus PostgreSQL-only calls. */
public final class PgDatabaseImpl extends SqlDatabase implements PgDatabase {
    private final PgOptions options;

    /**
     * Wraps a started engine.
     *
     * @param engine the engine
     * @param options the options
     * @param timeout per-call timeout of this view
     */
    public PgDatabaseImpl(Engine engine, PgOptions options, Duration timeout) {
        super(engine, timeout);
        this.options = options;
    }

    @Override
    public PgOptions options() {
        return options;
    }

    @Override
    public PgDatabase withTimeout(Duration timeout) {
        return new PgDatabaseImpl(engine, options, timeout);
    }
}
