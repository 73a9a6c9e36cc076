package dev.vtdb.mysql.internal;

import dev.vtdb.internal.Engine;
import dev.vtdb.internal.SqlDatabase;
import dev.vtdb.mysql.MySqlDatabase;
import dev.vtdb.mysql.MySqlOptions;
import java.time.Duration;

/** The MySQL/MariaDB database: the core engine plus the options it was opened with. */
public final class MySqlDatabaseImpl extends SqlDatabase implements MySqlDatabase {
    private final MySqlOptions options;

    /**
     * Wraps a started engine.
     *
     * @param engine the engine
     * @param options the options
     * @param timeout per-call timeout of this view
     */
    public MySqlDatabaseImpl(Engine engine, MySqlOptions options, Duration timeout) {
        super(engine, timeout);
        this.options = options;
    }

    @Override
    public MySqlOptions options() {
        return options;
    }

    @Override
    public MySqlDatabase withTimeout(Duration timeout) {
        return new MySqlDatabaseImpl(engine, options, timeout);
    }
}
