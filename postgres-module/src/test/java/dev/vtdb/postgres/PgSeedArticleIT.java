package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.BatchResult;
import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.sql.Select;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed article's asyncpg snippets, one test each, against the local server. */
class PgSeedArticleIT extends PgITBase {

    @Override
    String schemaName() {
        return "vtdb_pg_seed";
    }

    @Override
    void setUp() {
        await(db.execute("CREATE TABLE girl (id serial PRIMARY KEY, name text, age int, place text)"));
    }

    @BeforeEach
    void twoGirls() {
        await(db.execute("TRUNCATE girl RESTART IDENTITY"));
        await(db.execute("INSERT INTO girl (name, age, place) VALUES ('古明地觉', 17, '地灵殿'), ('雾雨魔理沙', 16, '魔法森林')"));
    }

    /** {@code asyncpg.connect(host=..., port=..., user=..., password=..., database=..., timeout=10)}. */
    private PgDatabase connectByKeywords() {
        PgOptions server = serverOptions();
        return Postgres.connectOne(PgOptions.builder()
                .host(server.hosts().getFirst().host())
                .port(server.hosts().getFirst().port())
                .user(server.user())
                .password("zgghyys123")
                .database(server.database())
                .connectTimeout(Duration.ofSeconds(10))
                .serverOptions("-c search_path=" + schema)
                .build());
    }

    /** {@code asyncpg.connect("postgres://postgres:zgghyys123@localhost:5432/postgres")}. */
    private PgDatabase connectByDsn() {
        PgOptions server = serverOptions();
        return Postgres.connectOne("postgres://" + server.user() + ":zgghyys123@"
                + server.hosts().getFirst() + "/" + server.database()
                + "?connect_timeout=10&options=-c%20search_path%3D" + schema);
    }

    @Test
    void connectByKeywordsThenFetchrowAndFetch() {
        try (PgDatabase conn = connectByKeywords()) {
            assertThat(conn.options().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
            Row row1 = await(conn.fetchRow("select * from girl")).orElseThrow();
            List<Row> row2 = await(conn.fetch("select * from girl"));
            assertThat(row1.toString()).isEqualTo("<Record id=1 name='古明地觉' age=17 place='地灵殿'>");
            assertThat(row2).hasSize(2);
            assertThat(row2.get(1).toMap())
                    .containsExactly(
                            Map.entry("id", 2),
                            Map.entry("name", "雾雨魔理沙"),
                            Map.entry("age", 16),
                            Map.entry("place", "魔法森林"));
        }
    }

    @Test
    void connectByDsnAndUseTheRecordLikeADict() {
        try (PgDatabase conn = connectByDsn()) {
            assertThat(conn.options().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
            Row row = await(conn.fetchRow("select * from girl")).orElseThrow();
            assertThat(row.get("id")).isEqualTo(1);
            assertThat(row.get("name")).isEqualTo("古明地觉");
            assertThat(row.get("id", (Object) null)).isEqualTo(1);
            assertThat(row.get("xxx", (Object) null)).isNull();
            assertThat(row.get("xxx", "不存在的字段")).isEqualTo("不存在的字段");
            assertThatThrownBy(() -> row.get("xxx")).hasMessageContaining("[id, name, age, place]");
            assertThat(row.keys()).containsExactly("id", "name", "age", "place");
            assertThat(row.values()).containsExactly(1, "古明地觉", 17, "地灵殿");
            assertThat(row.items())
                    .containsExactly(
                            Map.entry("id", 1),
                            Map.entry("name", "古明地觉"),
                            Map.entry("age", 17),
                            Map.entry("place", "地灵殿"));
            assertThat(row.toMap()).containsEntry("place", "地灵殿").hasSize(4);
        }
    }

    @Test
    void executeInsertWithDollarPlaceholdersReturnsTheStatus() {
        try (PgDatabase conn = connectByDsn()) {
            ExecResult r =
                    await(conn.execute("insert into girl(name, age, place) values ($1, $2, $3)", "十六夜咲夜", 17, "红魔馆"));
            assertThat(r.status()).isEqualTo("INSERT 0 1");
            assertThat(r.rowCount()).isEqualTo(1);
        }
        assertThat(await(db.fetchValue("SELECT place FROM girl WHERE name = $1", String.class, "十六夜咲夜")))
                .isEqualTo("红魔馆");
    }

    @Test
    void executemanyOfTwoRows() {
        try (PgDatabase conn = connectByDsn()) {
            BatchResult r = await(conn.executeMany(
                    "insert into girl(name, age, place) values ($1, $2, $3)",
                    List.of(List.of("十六夜咲夜", 17, "红魔馆"), List.of("琪露诺", 60, "雾之湖"))));
            assertThat(r.size()).isEqualTo(2);
            assertThat(r.totalRowCount()).isEqualTo(2);
        }
        assertThat(await(db.fetch("SELECT name, age, place FROM girl WHERE id > 2 ORDER BY id")))
                .extracting(Row::values)
                .containsExactly(List.of("十六夜咲夜", 17, "红魔馆"), List.of("琪露诺", 60, "雾之湖"));
    }

    @Test
    void selectBuiltFromTextFragmentsIsRenderedAndFetched() {
        Select sql = Select.columns("id, name, place").from("girl").where("id != 1");
        assertThat(sql.toString()).isEqualTo("SELECT id, name, place \nFROM girl \nWHERE id != 1");
        try (PgDatabase conn = connectByDsn()) {
            List<Row> rows = await(conn.fetch(sql.toString()));
            assertThat(rows.stream().map(Row::toMap).toList())
                    .containsExactly(Map.of("id", 2, "name", "雾雨魔理沙", "place", "魔法森林"));
            assertThat(await(conn.fetch(sql))).hasSize(1);
        }
    }
}
