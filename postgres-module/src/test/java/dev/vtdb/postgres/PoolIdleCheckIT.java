package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.Row;
import dev.vtdb.testkit.PoolIdleCheck;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The leak check run after every integration test reports a pool left busy, and only that. */
class PoolIdleCheckIT {
    @Test
    void reportsAPoolWithACallStillRunningAndNothingOnceItEnds() {
        try (Database db = Postgres.connect(PgOptions.fromDsn(TestServers.postgresUrl()).toBuilder()
                .poolSize(1)
                .applicationName("vtdb-idle-check")
                .build())) {
            CompletableFuture<List<Row>> sleeping = db.fetch("SELECT pg_sleep(20)");
            CompletableFuture<Integer> queued = db.fetchValue("SELECT 1", Integer.class);
            List<String> busy = PoolIdleCheck.busyEngines(Duration.ofMillis(200));
            assertThat(busy)
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("vtdb-pg")
                            .contains("active=1")
                            .contains("waiting=1"));
            sleeping.cancel(true);
            assertThat(queued).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(1);
            assertThat(PoolIdleCheck.busyEngines(Duration.ofSeconds(30))).isEmpty();
        }
    }
}
