package dev.vtdb.postgres;

import dev.vtdb.Database;
import dev.vtdb.testkit.SpinWaitContract;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.Locale;

/** The spin wait scenarios ({@link PgOptions.Builder#spinWait}), against PostgreSQL. */
class PgSpinWaitIT implements SpinWaitContract {

    private static PgOptions options() {
        return PgOptions.fromDsn(TestServers.postgresUrl()).toBuilder()
                .poolSize(4)
                .closeTimeout(Duration.ofSeconds(1))
                .build();
    }

    @Override
    public Database openWithSpinWait(Duration spinWait) {
        return Postgres.connect(options().toBuilder().spinWait(spinWait).build());
    }

    @Override
    public String plusOneSql() {
        return "SELECT $1::int + 1";
    }

    @Override
    public String seriesSql() {
        return "SELECT generate_series(1, " + SERIES + ")";
    }

    @Override
    public String sleepSql(double seconds) {
        return String.format(Locale.ROOT, "SELECT pg_sleep(%.1f)::text AS vtdb_spin_sleep", seconds);
    }

    @Override
    public long sleeping() {
        try (PgDatabase probe = Postgres.connectOne(options())) {
            return probe.fetchValue(
                            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%vtdb_spin_sleep'"
                                    + " AND state = 'active'",
                            Long.class)
                    .join();
        }
    }
}
