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
            result = Walkthrough.run(options, "vtdb_examples_unreachable_it", ps);
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
        assertThat(result.failures())
                .containsExactly(
                        "section 1 skipped: no MySQL/MariaDB server",
                        "section 2 skipped: no MySQL/MariaDB server",
                        "section 8 skipped: no Redis server");
        assertThat(out).contains("fan-out: 4 queries (4 PostgreSQL, 0 MySQL, 0 Redis)");
    }
}
