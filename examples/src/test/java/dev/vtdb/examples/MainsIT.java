package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.postgres.Postgres;
import dev.vtdb.testkit.TestServers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The programs as a user runs them, each in its own JVM against the test servers: a section's
 * {@code main} needs only its own database, the fan-out has a {@code main} of its own, and two
 * walkthroughs at once on the same servers both print everything and leave nothing behind.
 */
class MainsIT {
    private static final Pattern NAMESPACE = Pattern.compile("# working in (vtdb_walkthrough_\\d+): ");

    private static final String[] ALL_SERVERS = {
        "--pg-url", TestServers.postgresUrl(),
        "--mysql-url", TestServers.mysqlUrl(),
        "--redis-url", TestServers.redisUrl()
    };

    @Test
    void aPostgresSectionMainFindsOnlyPostgres() {
        // MySQL and Redis point nowhere: a section that needed them would say so
        JavaMain run = JavaMain.run(
                PgRecordExample.class,
                "--pg-url",
                TestServers.postgresUrl(),
                "--mysql-url",
                "mysql://root@127.0.0.1:1/test",
                "--redis-url",
                "redis://127.0.0.1:1/0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .as(run.toString())
                .contains("# PostgreSQL: postgres://postgres:***@", "(given by --pg-url)")
                .contains("== 4. PostgreSQL", "None 不存在的字段", "# done: every section ran")
                .doesNotContain("MySQL/MariaDB", "Redis");
        assertThat(run.stdout().contains(TestServers.CANARY_PASSWORD))
                .as("the test password in the output")
                .isFalse();
        assertSchemaDropped(run);
    }

    @Test
    void fanOutHasItsOwnMain() {
        JavaMain run = JavaMain.run(FanOutExample.class, ALL_SERVERS);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .as(run.toString())
                .contains("== 9. All three at once", "fan-out: 12 queries (4 PostgreSQL, 4 MySQL, 4 Redis)")
                .contains("# done: every section ran");
        assertSchemaDropped(run);
    }

    @Test
    void twoWalkthroughsAtOnceOnTheSameServersBothPrintEverything() throws Exception {
        List<JavaMain> runs;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<JavaMain> a =
                    CompletableFuture.supplyAsync(() -> JavaMain.run(Walkthrough.class, ALL_SERVERS), pool);
            CompletableFuture<JavaMain> b =
                    CompletableFuture.supplyAsync(() -> JavaMain.run(Walkthrough.class, ALL_SERVERS), pool);
            runs = List.of(a.get(), b.get());
        }
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            // each run's own table: the same ids and counts as a run alone
            assertThat(run.stdout())
                    .as(run.toString())
                    .containsSubsequence(
                            "== 2. MySQL",
                            "\n3\n2\n",
                            "== 7. PostgreSQL",
                            "{'id': 5, 'name': '琪露诺', 'place': '雾之湖'}",
                            "== 8. Redis",
                            "十六夜咲夜\n琪露诺\n1 0 None\n",
                            "# done: every section ran");
            assertSchemaDropped(run);
        });
        assertThat(namespace(runs.get(0))).isNotEqualTo(namespace(runs.get(1)));
    }

    private static String namespace(JavaMain run) {
        Matcher m = NAMESPACE.matcher(run.stdout());
        assertThat(m.find()).as(run.toString()).isTrue();
        return m.group(1);
    }

    private static void assertSchemaDropped(JavaMain run) {
        try (Database db = Postgres.connectOne(TestServers.postgresUrl())) {
            assertThat(db.fetchValue(
                                    "select count(*) from information_schema.schemata where schema_name = $1",
                                    Long.class,
                                    namespace(run))
                            .join())
                    .isZero();
        }
    }
}
