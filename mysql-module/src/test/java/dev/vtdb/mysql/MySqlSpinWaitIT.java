package dev.vtdb.mysql;

import dev.vtdb.Database;
import dev.vtdb.testkit.SpinWaitContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
    public String seriesSql() {
        // 10^4 x 3 rows from digits (recursive CTEs stop at 1,000 rows by default on both servers)
        String digits = "SELECT 0 AS n"
                + IntStream.rangeClosed(1, 9)
                        .mapToObj(i -> " UNION ALL SELECT " + i)
                        .collect(Collectors.joining());
        return "WITH d AS (" + digits + ") SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * e.n + 10000 * f.n AS n"
                + " FROM d a, d b, d c, d e, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2) f";
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
