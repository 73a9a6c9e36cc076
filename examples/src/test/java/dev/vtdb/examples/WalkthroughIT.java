package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.Row;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.mysql.MySql;
import dev.vtdb.postgres.Postgres;
import dev.vtdb.redis.Redis;
import dev.vtdb.redis.RedisClient;
import dev.vtdb.testkit.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs the whole walkthrough against the test servers ({@code VTDB_*_URL}, else the local default
 * ports, as every module's tests find them) in namespace {@code vtdb_examples_it_<pid>}, then checks
 * what it printed against what the databases hold, and drops the namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalkthroughIT {
    // per JVM: two builds sharing the servers each get their own schema, database and key prefix
    private static final String NS =
            "vtdb_examples_it_" + ProcessHandle.current().pid();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Walkthrough.Result result;
    private String out;

    @BeforeAll
    void runWalkthrough() {
        Servers.Options options = new Servers.Options(
                Map.of(
                        Kind.POSTGRES, TestServers.postgresUrl(),
                        Kind.MYSQL, TestServers.mysqlUrl(),
                        Kind.REDIS, TestServers.redisUrl()),
                false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            result = Walkthrough.run(options, NS, ps);
        }
        out = bytes.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    void dropNamespace() {
        Fixtures.dropPostgres(target(Kind.POSTGRES));
        Fixtures.dropMysql(target(Kind.MYSQL));
        Fixtures.redis(target(Kind.REDIS));
    }

    private Target target(Kind kind) {
        return new Target(result.servers().get(kind), NS);
    }

    @Test
    void everySectionRunsInTheArticlesOrderOnTheGivenServers() {
        assertThat(result.failures()).isEmpty();
        assertThat(result.skipped()).isEmpty();
        assertThat(out)
                .contains("# PostgreSQL: postgres://")
                .contains("# MySQL/MariaDB: mysql://")
                .contains("# Redis: redis://")
                .containsSubsequence(
                        "== 1. MySQL",
                        "== 2. MySQL",
                        "== 3. PostgreSQL",
                        "== 4. PostgreSQL",
                        "== 5. PostgreSQL",
                        "== 6. PostgreSQL",
                        "== 7. PostgreSQL",
                        "== 8. Redis",
                        "== 9. All three",
                        "# done: every section ran");
        assertThat(result.servers().values()).extracting(Endpoint::origin).containsOnly("given");
        // the local test servers are reached with the canary password: what the walkthrough prints hides it
        assertThat(out).doesNotContain(TestServers.CANARY_PASSWORD);
        assertThat(result.servers().values())
                .allSatisfy(ep -> assertThat(ep.toString()).doesNotContain(TestServers.CANARY_PASSWORD));
    }

    @Test
    void mysqlFetchOnePrintsTheFirstRowAsDictViews() {
        assertThat(result.mysqlFetchOne().toMap())
                .containsExactly(
                        Map.entry("id", 1),
                        Map.entry("name", "十六夜咲夜"),
                        Map.entry("age", 17),
                        Map.entry("place", "红魔馆"));
        assertThat(out)
                .containsSubsequence(
                        "['id', 'name', 'age', 'place']",
                        "[1, '十六夜咲夜', 17, '红魔馆']",
                        "[('id', 1), ('name', '十六夜咲夜'), ('age', 17), ('place', '红魔馆')]",
                        "{'id': 1, 'name': '十六夜咲夜', 'age': 17, 'place': '红魔馆'}");
    }

    @Test
    void mysqlInsertReportsLastInsertIdAndRowCountThatMatchTheTable() {
        MySqlTableExample.Outcome t = result.mysqlTable();
        assertThat(t.insertedRows()).isEqualTo(2);
        assertThat(out).contains("\n" + t.lastInsertId() + "\n2\n[{'id': 1");
        try (Database db = MySql.connect(target(Kind.MYSQL).endpoint().url())) {
            // lastrowid is the first id of the two-row insert: the seed rows hold the ids below it
            Row updated = db.fetchRow("select name, place from " + NS + ".girl where id = ?", t.lastInsertId())
                    .join()
                    .orElseThrow();
            assertThat(updated.toMap()).containsEntry("name", "十六夜咲夜").containsEntry("place", "博丽神社");
            assertThat(db.fetchValue("select count(*) from " + NS + ".girl where id < ?", Long.class, t.lastInsertId())
                            .join())
                    .isEqualTo(2L);
            assertThat(db.fetchValue(
                                    "select count(*) from " + NS + ".girl where id = ?",
                                    Long.class,
                                    t.lastInsertId() + 1)
                            .join())
                    .isZero();
            List<Map<String, Object>> rows = db.fetch("select * from " + NS + ".girl order by id").join().stream()
                    .map(Row::toMap)
                    .toList();
            assertThat(t.rowsAfter()).isEqualTo(rows);
        }
        assertThat(t.updatedRows()).isEqualTo(1);
        assertThat(t.deletedRows()).isEqualTo(1);
    }

    @Test
    void postgresSectionsPrintRecordsStatusAndTheSelectedRows() {
        assertThat(result.pgFetch()).extracting(r -> r.get("name")).containsExactly("十六夜咲夜", "琪露诺");
        assertThat(out)
                .containsSubsequence(
                        "<Record id=1 name='十六夜咲夜' age=17 place='红魔馆'>",
                        "[<Record id=1 name='十六夜咲夜' age=17 place='红魔馆'>,\n <Record id=2 name='琪露诺' age=60 place='雾之湖'>]",
                        "class dev.vtdb.Row",
                        "1 十六夜咲夜\n1 十六夜咲夜\nNone 不存在的字段\n",
                        "'INSERT 0 1'");
        assertThat(result.pgExecute().status()).isEqualTo("INSERT 0 1");
        assertThat(result.pgExecute().rowCount()).isEqualTo(1);
        assertThat(result.pgExecuteMany().size()).isEqualTo(2);

        try (Database db = Postgres.connectOne(target(Kind.POSTGRES).pgDsn())) {
            // 2 seed rows + 1 from execute + 2 from executemany
            assertThat(db.fetchValue("select count(*) from girl", Long.class).join())
                    .isEqualTo(5L);
            List<Map<String, Object>> notOne =
                    db.fetch("select id, name, place from girl where id != 1 order by id").join().stream()
                            .map(Row::toMap)
                            .toList();
            assertThat(result.pgSelect()).containsExactlyInAnyOrderElementsOf(notOne);
        }
        assertThat(result.pgSelect()).extracting(m -> m.get("id")).doesNotContain(1);
    }

    @Test
    void redisSectionReadsBackWhatItWroteAndCleansUp() {
        assertThat(result.redis().firstValue()).isEqualTo("十六夜咲夜");
        assertThat(result.redis().updatedValue()).isEqualTo("琪露诺");
        assertThat(result.redis().hashAfterUpdate())
                .containsExactlyInAnyOrderEntriesOf(Map.of("name", "琪露诺", "age", "61", "place", "雾之湖"));
        assertThat(out).containsSubsequence("十六夜咲夜\n琪露诺\n1 0 None\n3\n", "61\n1 {'age': '61', 'name': '琪露诺'}\n1\n");
        Target t = target(Kind.REDIS);
        try (RedisClient redis = Redis.connect(t.endpoint().url())) {
            assertThat(redis.exists(t.redisPrefix() + "girl:1", t.redisPrefix() + "girl:2"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(0L);
        }
    }

    @Test
    void fanOutOverlapsTheQueriesInsideTheScope() {
        FanOutExample.Outcome f = result.fanOut();
        assertThat(f.queries()).isEqualTo(12);
        // 8 SQL queries of 100 ms each: run one after another they would need 800 ms
        assertThat(f.sumOfParts()).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertThat(f.elapsed()).isLessThan(f.sumOfParts());
        assertThat(out).containsPattern("elapsed \\d+ ms; sum of the parts \\d+ ms");
        // the 300 ms scope deadline cancels a 5 s query: it fails long before it would have finished
        assertThat(f.deadlineStop()).isNotNull().isLessThan(Duration.ofSeconds(4));
        assertThat(out).contains("deadline: a 5 s query in a 300 ms scope gave up after");
    }
}
