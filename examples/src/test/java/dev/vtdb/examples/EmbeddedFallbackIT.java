package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.examples.Endpoint.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Forces the embedded fallback ({@code --embedded}): PostgreSQL, MariaDB and Redis are started
 * from Maven Central artifacts on free ports, and the whole walkthrough must print on them just
 * as on the local servers.
 */
class EmbeddedFallbackIT {

    @Test
    void embeddedFlagStartsAllThreeServersAndTheWholeWalkthroughPrints() {
        Servers.Options options = Servers.Options.parse(List.of("--embedded"), Map.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Walkthrough.Result result;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result = Walkthrough.run(
                    options,
                    "vtdb_examples_embedded_it_" + ProcessHandle.current().pid(),
                    ps);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(result.failures()).as(out).isEmpty();
        assertThat(result.skipped()).as(out).isEmpty();
        assertThat(result.servers()).containsOnlyKeys(Kind.POSTGRES, Kind.MYSQL, Kind.REDIS);
        assertThat(result.servers().values())
                .allSatisfy(ep -> assertThat(ep.origin()).startsWith("embedded"))
                .allSatisfy(ep -> assertThat(ep.port()).isNotIn(5432, 3306, 6379));
        assertThat(out)
                .contains("embedded PostgreSQL", "embedded MariaDB", "embedded Redis")
                .containsSubsequence(
                        "== 1. MySQL",
                        "{'id': 1, 'name': '十六夜咲夜', 'age': 17, 'place': '红魔馆'}",
                        "== 2. MySQL",
                        "\n3\n2\n",
                        "'place': '博丽神社'",
                        "== 3. PostgreSQL",
                        "<Record id=1 name='十六夜咲夜' age=17 place='红魔馆'>",
                        "== 4. PostgreSQL",
                        "None 不存在的字段",
                        "== 5. PostgreSQL",
                        "'INSERT 0 1'",
                        "== 6. PostgreSQL",
                        "== 7. PostgreSQL",
                        "{'id': 5, 'name': '琪露诺', 'place': '雾之湖'}",
                        "== 8. Redis",
                        "十六夜咲夜\n琪露诺\n1 0 None\n",
                        "== 9. All three",
                        "fan-out: 12 queries",
                        "# done: every section ran");
        assertThat(result.mysqlTable().lastInsertId()).isEqualTo(3);
        assertThat(result.pgExecute().status()).isEqualTo("INSERT 0 1");
    }
}
