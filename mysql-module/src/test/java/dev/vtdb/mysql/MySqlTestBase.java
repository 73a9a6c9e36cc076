package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared set-up of the module's integration tests: one database (pool of 4) per class, opened
 * from {@link TestServers#mysqlUrl()}, idle after every test and closed after the class. Each
 * subclass creates and drops its own tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MySqlTestBase {
    static final Duration WAIT = Duration.ofSeconds(10);

    MySqlDatabase db;

    static MySqlOptions options() {
        return MySqlOptions.fromUrl(TestServers.mysqlUrl()).toBuilder()
                .poolSize(4)
                .closeTimeout(Duration.ofSeconds(1))
                .build();
    }

    /** Creates the class's tables. */
    abstract void createTables();

    /** Drops the class's tables. */
    abstract void dropTables();

    @BeforeAll
    void openDatabase() {
        db = MySql.connect(options());
        dropTables();
        createTables();
    }

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
            dropTables();
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("future did not complete within " + WAIT, e);
        }
    }
}
