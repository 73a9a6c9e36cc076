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
 * PostgreSQL and Redis point at a closed port and MySQL is the test server.
 */
class UnreachableServerIT {

    @Test
    void unreachableServersAreReportedInOneLineEachAndTheRestRuns() {
        Servers.Options options = new Servers.Options(
                Map.of(
                        Kind.POSTGRES, "postgres://postgres:hunter2@127.0.0.1:1/test",
                        Kind.MYSQL, TestServers.mysqlUrl(),
                        Kind.REDIS, "redis://127.0.0.1:1/0"),
                false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Walkthrough.Result result;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result = Walkthrough.run(options, "vtdb_examples_unreachable_it", ps);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).doesNotContain("hunter2");
        assertThat(out.lines().filter(l -> l.startsWith("# PostgreSQL: could not set up")))
                .singleElement()
                .asString()
                .contains("postgres://postgres:***@127.0.0.1:1/test", "skipping its sections");
        assertThat(out.lines().filter(l -> l.startsWith("# Redis: could not set up")))
                .hasSize(1);
        assertThat(result.mysqlTable()).isNotNull();
        assertThat(result.mysqlTable().insertedRows()).isEqualTo(2);
        assertThat(result.pgFetch()).isNull();
        assertThat(result.redis()).isNull();
        assertThat(result.failures())
                .containsExactly(
                        "section 3 skipped: no PostgreSQL server",
                        "section 4 skipped: no PostgreSQL server",
                        "section 5 skipped: no PostgreSQL server",
                        "section 6 skipped: no PostgreSQL server",
                        "section 7 skipped: no PostgreSQL server",
                        "section 8 skipped: no Redis server");
        assertThat(out).contains("fan-out: 4 queries (0 PostgreSQL, 4 MySQL, 0 Redis)");
    }
}
