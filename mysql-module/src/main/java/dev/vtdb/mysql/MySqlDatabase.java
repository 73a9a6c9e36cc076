package dev.vtdb.mysql;

import dev.vtdb.Database;
import java.time.Duration;

/**
 * A MySQL or MariaDB {@link Database}: everything of the core API (aiomysql.sa's engine) plus the
 * options it was opened with. Obtain one from {@link MySql#connect(String)} or {@link
 * MySql#connect(MySqlOptions)}.
 */
public interface MySqlDatabase extends Database {
    /**
     * Returns the options this database was opened with (password kept, never printed).
     *
     * @return the options
     */
    MySqlOptions options();

    /**
     * Returns a view of this database whose calls get another default deadline; it shares the
     * pool and is closed with it.
     *
     * @param timeout each call's allowance, positive
     * @return the view
     * @throws IllegalArgumentException when the timeout is not positive
     */
    @Override
    MySqlDatabase withTimeout(Duration timeout);
}
