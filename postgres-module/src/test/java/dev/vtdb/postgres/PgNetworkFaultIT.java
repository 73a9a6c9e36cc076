package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.Row;
import dev.vtdb.testkit.FaultProxy;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Network faults between vtdb and PostgreSQL, injected by a loopback TCP proxy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgNetworkFaultIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TABLE = "vtdb_netfault";

    private PgDatabase direct;

    @BeforeAll
    void setUp() {
        direct = Postgres.connect(TestServers.postgresUrl());
        direct.execute("DROP TABLE IF EXISTS " + TABLE).join();
        direct.execute("CREATE TABLE " + TABLE + " (id serial PRIMARY KEY, name text)")
                .join();
    }

    @AfterAll
    void tearDown() {
        direct.execute("DROP TABLE IF EXISTS " + TABLE).join();
        direct.close();
    }

    private PgDatabase throughProxy(FaultProxy proxy, Duration timeout) {
        String url = TestServers.postgresUrl();
        return Postgres.connect(PgOptions.fromDsn(url).toBuilder()
                .host("127.0.0.1")
                .port(proxy.port())
                .poolSize(2)
                .commandTimeout(timeout)
                .connectTimeout(Duration.ofSeconds(2))
                .closeTimeout(Duration.ofSeconds(1))
                .build());
    }

    @Test
    void blackHoleEndsEveryCallByItsDeadlineAndThePoolRecovers() {
        String url = TestServers.postgresUrl();
        try (FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                PgDatabase db = throughProxy(proxy, Duration.ofMillis(500))) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1);
            proxy.blackhole();
            List<CompletableFuture<List<Row>>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(db.fetch("SELECT " + i));
            }
            for (CompletableFuture<List<Row>> call : calls) {
                assertThat(call)
                        .failsWithin(WAIT)
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(DeadlineExceededException.class);
            }
            proxy.pass();
            // the black-holed connections were aborted after the cancel grace; fresh ones work
            assertThat(db.withTimeout(Duration.ofSeconds(10)).fetchValue("SELECT 2", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(2);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void connectionResetDuringCommitIsCommitOutcomeUnknown() {
        String url = TestServers.postgresUrl();
        try (FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                PgDatabase db = throughProxy(proxy, Duration.ofSeconds(5))) {
            CompletableFuture<Object> tx = db.inTransaction(s -> {
                s.execute("INSERT INTO " + TABLE + " (name) VALUES (?)", "in-flight");
                proxy.resetAfterClientSends("COMMIT");
                return null;
            });
            assertThat(tx)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .withMessageContaining("during COMMIT");
            // the proxy forwarded COMMIT before the reset: on the server the row was committed
            assertThat(direct.fetchValue("SELECT count(*) FROM " + TABLE + " WHERE name = ?", Long.class, "in-flight"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1L);
            // the broken connection was evicted and replaced
            assertThat(db.fetchValue("SELECT 3", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(3);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }
}
