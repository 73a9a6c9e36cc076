package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.ConnectionFailedException;
import dev.vtdb.ConnectionLostException;
import dev.vtdb.ConstraintViolationException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.ExecResult;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server errors, deadlines, cancellation, killed backends and an interrupted COMMIT. */
class PgFaultsIT extends PgITBase {

    @Override
    void setUp() {
        await(db.execute("CREATE TABLE girl (id serial PRIMARY KEY, name varchar(64) UNIQUE NOT NULL)"));
        await(db.execute("CREATE TABLE slow_commit (id int)"));
        await(db.execute("CREATE FUNCTION sleep_at_commit() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$"));
        await(db.execute("CREATE CONSTRAINT TRIGGER sleep_at_commit AFTER INSERT ON slow_commit"
                + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sleep_at_commit()"));
    }

    @BeforeEach
    void clean() {
        await(db.execute("TRUNCATE girl, slow_commit"));
    }

    private PgDatabase one() {
        return Postgres.connectOne(options());
    }

    @Test
    void tlsRequiredAgainstAServerWithoutTlsFailsClearlyWithoutThePassword() {
        PgOptions tls = options().toBuilder()
                .password("tls-secret-pw")
                .sslMode(PgOptions.SslMode.REQUIRE)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try (PgDatabase one = Postgres.connectOne(tls)) {
            String ssl = await(db.fetchValue("SHOW ssl", String.class));
            if ("on".equals(ssl)) {
                assertThat(await(one.fetchValue(
                                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", Boolean.class)))
                        .isTrue();
            } else {
                assertThat(one.fetchValue("SELECT 1", Integer.class))
                        .failsWithin(Duration.ofSeconds(20))
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(ConnectionLostException.class)
                        .withMessageContaining("SSL")
                        .withMessageNotContaining("tls-secret-pw");
            }
        }
    }

    @Test
    void anUnknownDatabaseFailsAtOnceNamingItsSqlStateNotAfterTheConnectTimeout() {
        PgOptions nowhere = options().toBuilder()
                .database("vtdb_no_such_database")
                .connectTimeout(Duration.ofSeconds(60))
                .commandTimeout(Duration.ofSeconds(60))
                .build();
        try (PgDatabase one = Postgres.connectOne(nowhere)) {
            // a refusal asking again cannot cure fails well before the 60 s connect timeout
            assertThat(one.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("3D000");
                        assertThat(e)
                                .hasMessageContaining("vtdb_no_such_database")
                                .hasMessageContaining("SQLSTATE 3D000")
                                .hasMessageContaining("could not get a connection to");
                    });
            assertThat(one.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void aDeadlineThatPassesWhileWaitingForAConnectionSaysSoWithTheLastFailure() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PgOptions closed = options().toBuilder()
                .host("127.0.0.1")
                .port(port)
                .connectTimeout(Duration.ofSeconds(60))
                .build();
        try (PgDatabase one = Postgres.connectOne(closed)) {
            assertThat(one.withTimeout(Duration.ofMillis(800)).fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class)
                    .withMessageContaining("while waiting for a connection to postgresql://127.0.0.1:" + port)
                    .withMessageContaining("last failure")
                    .withMessageContaining("refused");
            assertThat(one.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void syntaxErrorIsQueryExceptionWithSqlStateAndPosition() {
        assertThat(db.fetch("SELECT * FORM girl"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42601");
                    assertThat(e.getMessage())
                            .contains("syntax error at or near \"FORM\"")
                            .contains("(at character 10)")
                            .contains("SELECT * FORM girl");
                });
        assertThat(await(db.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
    }

    @Test
    void uniqueViolationNamesTheConstraint() {
        await(db.execute("INSERT INTO girl (name) VALUES ($1)", "private-value"));
        assertThat(db.execute("INSERT INTO girl (name) VALUES ($1)", "private-value"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("23505");
                    assertThat(e.constraint()).isEqualTo("girl_name_key");
                    assertThat(e.getMessage()).contains("girl_name_key").doesNotContain("private-value");
                });
    }

    @Test
    void deadlineCancelsTheStatementOnTheServerAndKeepsTheConnection() {
        try (PgDatabase one = one()) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            String marker = "vtdb_pg_deadline_" + System.nanoTime();
            assertThat(one.withTimeout(Duration.ofMillis(500)).fetch("SELECT pg_sleep(30) /* " + marker + " */"))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(running(marker)).isZero();
            assertThat(await(one.fetchValue("SELECT pg_backend_pid()", Integer.class)))
                    .as("same connection after the cancel")
                    .isEqualTo(pid);
        }
    }

    @Test
    void cancelStopsTheServerStatementAndKeepsTheConnection() {
        try (PgDatabase one = one()) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            String marker = "vtdb_pg_cancel_" + System.nanoTime();
            CompletableFuture<List<Row>> f = one.fetch("SELECT pg_sleep(30) /* " + marker + " */");
            assertThat(eventually(() -> running(marker) == 1)).isTrue();
            assertThat(f.cancel(true)).isTrue();
            assertThat(f).isCancelled();
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(eventually(() -> running(marker) == 0)).isTrue();
            assertThat(await(one.fetchValue("SELECT pg_backend_pid()", Integer.class)))
                    .isEqualTo(pid);
        }
    }

    @Test
    void terminatedBackendIsConnectionLostAndThePoolReplacesIt() {
        try (PgDatabase one = one()) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            String marker = "vtdb_pg_kill_" + System.nanoTime();
            CompletableFuture<List<Row>> f = one.fetch("SELECT pg_sleep(30) /* " + marker + " */");
            assertThat(eventually(() -> running(marker) == 1)).isTrue();
            assertThat(await(db.fetchValue("SELECT pg_terminate_backend($1)", Boolean.class, pid)))
                    .isTrue();
            assertThat(f)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining("57P01");
            int next = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            assertThat(next).isNotEqualTo(pid);
            assertThat(one.stats().workers()).isEqualTo(1);
        }
    }

    @Test
    void connectionLostDuringCommitIsCommitOutcomeUnknown() {
        try (PgDatabase one = one()) {
            AtomicInteger pid = new AtomicInteger();
            CompletableFuture<ExecResult> tx = one.inTransaction(s -> {
                pid.set(s.fetchValue("SELECT pg_backend_pid()", Integer.class));
                return s.execute("INSERT INTO slow_commit (id) VALUES (1)");
            });
            // the deferred trigger sleeps inside COMMIT
            assertThat(eventually(() -> pid.get() != 0
                            && await(db.fetchValue(
                                            "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'"
                                                    + " AND query = 'COMMIT'",
                                            Long.class,
                                            pid.get()))
                                    == 1))
                    .isTrue();
            assertThat(await(db.fetchValue("SELECT pg_terminate_backend($1)", Boolean.class, pid.get())))
                    .isTrue();
            assertThat(tx)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .withMessageContaining("during COMMIT");
            // what happened on the server: the backend died before the commit record, so nothing is there
            assertThat(await(db.fetchValue("SELECT count(*) FROM slow_commit", Long.class)))
                    .isZero();
            assertThat(await(one.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
        }
    }
}
