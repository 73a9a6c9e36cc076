package dev.vtdb.mysql;

import dev.vtdb.Database;
import dev.vtdb.testkit.SpinWaitContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.Locale;

/** The spin wait scenarios ({@link MySqlOptions.Builder#spinWait}), against MariaDB. */
class MySqlSpinWaitIT implements SpinWaitContract {

    private static MySqlOptions options() {
        return MySqlOptions.fromUrl(TestServers.mysqlUrl()).toBuilder()
                .poolSize(4)
                .closeTimeout(Duration.ofSeconds(1))
                .build();
    }

    @Override
    public Database openWithSpinWait(Duration spinWait) {
        return MySql.connect(options().toBuilder().spinWait(spinWait).build());
    }

    @Override
    public String plusOneSql() {
        return "SELECT ? + 1";
    }

    @Override
    public String sleepSql(double seconds) {
        return String.format(Locale.ROOT, "SELECT SLEEP(%.1f) AS vtdb_spin_sleep", seconds);
    }

    @Override
    public long sleeping() {
        try (MySqlDatabase probe =
                MySql.connect(options().toBuilder().poolSize(1).build())) {
            return probe.fetchValue(
                            "SELECT count(*) FROM information_schema.processlist"
                                    + " WHERE info LIKE 'SELECT SLEEP(%) AS vtdb_spin_sleep'",
                            Long.class)
                    .join();
        }
    }
}
