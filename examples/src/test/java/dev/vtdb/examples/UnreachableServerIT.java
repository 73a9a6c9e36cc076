package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.testkit.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server that cannot be had costs one line and its own sections, not the walkthrough: here
 * MySQL and Redis point at a closed port and PostgreSQL is the test server.
 */
class UnreachableServerIT {
    private static final String NS =
            "vtdb_examples_unreachable_it_" + ProcessHandle.current().pid();

    @Test
    void unreachableServersAreReportedInOneLineEachAndTheRestRuns() {
        Servers.Options options = new Servers.Options(
                Map.of(
                        Kind.POSTGRES, TestServers.postgresUrl(),
                        Kind.MYSQL, "mysql://root:hunter2@127.0.0.1:1/test",
                        Kind.REDIS, "redis://127.0.0.1:1/0"),
                false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Walkthrough.Result result;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result = Walkthrough.run(options, NS, true, ps);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).doesNotContain("hunter2");
        assertThat(out.lines().filter(l -> l.startsWith("# MySQL/MariaDB: could not set up")))
                .singleElement()
                .asString()
                .contains("mysql://root:***@127.0.0.1:1/test", "skipping its sections");
        assertThat(out.lines().filter(l -> l.startsWith("# Redis: could not set up")))
                .hasSize(1);
        assertThat(result.pgExecute().status()).isEqualTo("INSERT 0 1");
        assertThat(result.pgSelect()).hasSize(4);
        assertThat(result.mysqlTable()).isNull();
        assertThat(result.redis()).isNull();
        assertThat(result.skipped())
                .containsExactly("section 1 (MySQL/MariaDB)", "section 2 (MySQL/MariaDB)", "section 8 (Redis)");
        assertThat(result.failures()).isEmpty();
        assertThat(out).contains("fan-out: 4 queries (4 PostgreSQL, 0 MySQL, 0 Redis)");
        assertThat(out.lines().filter(l -> l.startsWith("# done")))
                .containsExactly("# done: every section with a server ran; skipped for want of a server:"
                        + " section 1 (MySQL/MariaDB), section 2 (MySQL/MariaDB), section 8 (Redis)");
    }

    @Test
    void walkthroughMainExitsZeroWhenSectionsWereOnlySkippedAndPrintsNoStackTrace() {
        JavaMain run = JavaMain.run(
                Walkthrough.class,
                "--pg-url",
                TestServers.postgresUrl(),
                "--mysql-url",
                "mysql://root:hunter2@127.0.0.1:1/test",
                "--redis-url",
                "redis://127.0.0.1:1/0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .as(run.toString())
                .contains("== 7. PostgreSQL", "== 9. All three")
                .contains("# done: every section with a server ran; skipped for want of a server:")
                .doesNotContain("hunter2");
        assertThat(run.stdout().contains(TestServers.CANARY_PASSWORD))
                .as("the test password in the output")
                .isFalse();
        // the reasons are one line each on stdout; nothing else, no stack trace, on stderr
        assertThat(run.stderr()).as(run.toString()).doesNotContain("Exception", "\tat ", "ERROR");
    }

    @Test
    void walkthroughMainExitsOneWhenASectionFailsOnAServerItHad() {
        // the server answers and lets us in, but refuses the statement: a real failure, not a missing server
        JavaMain run = JavaMain.run(
                Walkthrough.class,
                "--pg-url",
                TestServers.postgresUrl() + "?options=-c%20default_transaction_read_only%3Don",
                "--mysql-url",
                "mysql://root@127.0.0.1:1/test",
                "--redis-url",
                "redis://127.0.0.1:1/0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stdout())
                .as(run.toString())
                .contains("section 3 not run: the PostgreSQL data could not be set up")
                .contains("# done, with ");
    }
}
