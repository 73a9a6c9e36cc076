package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.testkit.Outcome;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the PostgreSQL integration tests: each class works in its own schema (on the search
 * path of every connection), drops it afterwards, and checks the pool is idle after each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PgITBase {
    static final Duration WAIT = Duration.ofSeconds(10);

    PgDatabase db;
    String schema;

    /** The schema this class works in. */
    String schemaName() {
        return "vtdb_pg_" + getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** Options of the test server, without a schema. */
    static PgOptions serverOptions() {
        return PgOptions.fromDsn(TestServers.postgresUrl());
    }

    /** Options with this class's schema on the search path. */
    PgOptions options() {
        return serverOptions().toBuilder()
                .poolSize(4)
                .queueBound(256)
                .closeTimeout(Duration.ofSeconds(1))
                .serverOptions("-c search_path=" + schema)
                .build();
    }

    @BeforeAll
    void openDatabase() {
        schema = schemaName();
        db = Postgres.connect(options());
        await(db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
        await(db.execute("CREATE SCHEMA " + schema));
        setUp();
    }

    /** Creates the class's tables. */
    void setUp() {}

    @AfterEach
    void poolIsIdle() {
        assertThat(db.awaitIdle(WAIT))
                .as("pool idle after test: %s", db.stats())
                .isTrue();
        assertThat(db.stats().active()).isZero();
        assertThat(db.stats().waiting()).isZero();
    }

    @AfterAll
    void dropAndClose() {
        if (db != null) {
            await(db.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
            db.close();
        }
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("future did not complete within " + WAIT + ": " + e, e);
        }
    }

    /** Polls a server-side condition (pg_stat_activity) until it holds, up to WAIT. */
    static boolean eventually(BooleanSupplier condition) {
        return Outcome.eventually(WAIT, condition);
    }

    /** Counts active statements (other than the caller's) whose text contains a marker. */
    long running(String marker) {
        return await(db.fetchValue(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1"
                        + " AND pid <> pg_backend_pid()",
                Long.class,
                "%" + marker + "%"));
    }

    /**
     * The statements with a marker that connections are running or reading (a cursor's between two
     * fetches is idle in its transaction), seen from another connection.
     */
    static List<String> statementsWith(PgDatabase other, String marker) {
        return await(other.fetch(
                        "SELECT query FROM pg_stat_activity WHERE state <> 'idle' AND query LIKE $1"
                                + " AND pid <> pg_backend_pid()",
                        "%" + marker + "%"))
                .stream()
                .map(r -> r.getString(0))
                .toList();
    }
}
