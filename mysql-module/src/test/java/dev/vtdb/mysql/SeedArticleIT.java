package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Cursor;
import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.Transaction;
import dev.vtdb.sql.Condition;
import dev.vtdb.sql.Insert;
import dev.vtdb.sql.Table;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed article's aiomysql.sa snippets, one test each, against the test server: the same calls
 * in vtdb's spelling, checked against the database instead of printed only.
 */
class SeedArticleIT extends MySqlTestBase {
    private static final String GIRL = "seed_girl";

    @Override
    void createTables() {
        await(db.execute("CREATE TABLE " + GIRL + " (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64) NOT NULL,"
                + " age int, place varchar(64)) DEFAULT CHARSET=utf8mb4"));
    }

    @Override
    void dropTables() {
        await(db.execute("DROP TABLE IF EXISTS " + GIRL));
    }

    @BeforeEach
    void seed() {
        await(db.execute("DELETE FROM " + GIRL));
        await(db.executeMany(
                "INSERT INTO " + GIRL + " (name, age, place) VALUES (?, ?, ?)",
                List.of(List.of("古明地觉", 16, "地灵殿"), List.of("芙兰朵露", 495, "红魔馆"), List.of("魂魄妖梦", 60, "白玉楼"))));
    }

    /** create_engine(host=, port=, user=, password=, db=, connect_timeout=10) from keywords. */
    private MySqlDatabase createEngine() {
        MySqlOptions server = options();
        return MySql.connect(MySqlOptions.builder()
                .host(server.host())
                .port(server.port())
                .user(server.user())
                .password(server.password())
                .database(server.database())
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }

    @Test
    void snippet1AcquireSelectStarAndFetchOneAsDict() {
        MySqlDatabase engine = createEngine();
        assertThat(engine.options().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        // async with engine.acquire() as conn: result = await conn.execute("SELECT * FROM girl")
        Row data = await(engine.withConnection(conn -> {
            try (Cursor result = conn.cursor("SELECT * FROM " + GIRL + " ORDER BY id")) {
                return result.fetchOne().orElseThrow();
            }
        }));
        System.out.println(data.keys());
        System.out.println(data.values());
        System.out.println(data.items());
        System.out.println(data.toMap());
        assertThat(data.keys()).containsExactly("id", "name", "age", "place");
        assertThat(data.values()).containsExactly(data.get("id"), "古明地觉", 16, "地灵殿");
        assertThat(data.items())
                .extracting(Map.Entry::getKey, Map.Entry::getValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id", data.get("id")),
                        org.assertj.core.groups.Tuple.tuple("name", "古明地觉"),
                        org.assertj.core.groups.Tuple.tuple("age", 16),
                        org.assertj.core.groups.Tuple.tuple("place", "地灵殿"));
        assertThat(data.toMap())
                .containsEntry("name", "古明地觉")
                .containsEntry("age", 16)
                .hasSize(4);
        // engine.close(); await engine.wait_closed()
        engine.close();
        assertThat(engine.awaitClosed()).succeedsWithin(WAIT);
    }

    @Test
    void snippet1FetchAllMappedToDicts() {
        MySqlDatabase engine = createEngine();
        try {
            List<Map<String, Object>> data = await(engine.withConnection(conn -> {
                try (Cursor result = conn.cursor("SELECT * FROM " + GIRL + " ORDER BY id")) {
                    return result.fetchAll().stream().map(Row::toMap).toList();
                }
            }));
            System.out.println(data);
            assertThat(data).extracting(m -> m.get("name")).containsExactly("古明地觉", "芙兰朵露", "魂魄妖梦");
            assertThat(data.get(1)).containsEntry("age", 495).containsEntry("place", "红魔馆");
        } finally {
            engine.close();
        }
    }

    @Test
    void snippet1LimitedFetch() {
        MySqlDatabase engine = createEngine();
        try {
            // await result.fetchmany(2)
            List<Row> two = await(engine.withConnection(conn -> {
                try (Cursor result = conn.cursor("SELECT * FROM " + GIRL + " ORDER BY id")) {
                    List<Row> rows = result.fetchMany(2);
                    assertThat(result.rowCount()).isEqualTo(2);
                    return rows;
                }
            }));
            assertThat(two).extracting(r -> r.get("name")).containsExactly("古明地觉", "芙兰朵露");
            // the same through SQL: SELECT ... LIMIT
            Table girl = await(engine.table(GIRL));
            List<Row> limited = await(engine.fetch(girl.select().orderBy("id").limit(1)));
            assertThat(limited).extracting(r -> r.get("name")).containsExactly("古明地觉");
        } finally {
            engine.close();
        }
    }

    @Test
    void snippet2ReflectedTableInsertsTwoRowsInATransaction() {
        MySqlDatabase engine = createEngine();
        try {
            ExecResult result = await(engine.withConnection(conn -> {
                // tbl = Table("girl", MetaData(bind=s_engine), autoload=True)
                Table tbl = conn.table(GIRL);
                Insert insertSql = tbl.insert()
                        .values(List.of(
                                Map.of("name", "十六夜咲夜", "age", 17, "place", "红魔馆"),
                                Map.of("name", "琪露诺", "age", 60, "place", "雾之湖")));
                // async with conn.begin(): result = await conn.execute(insert_sql)
                try (Transaction tx = conn.begin()) {
                    ExecResult r = conn.execute(insertSql);
                    System.out.println(r.lastInsertId().orElseThrow());
                    System.out.println(r.rowCount());
                    tx.commit();
                    return r;
                }
            }));
            List<Row> inserted = await(
                    engine.fetch("SELECT id, name FROM " + GIRL + " WHERE name IN (?, ?) ORDER BY id", "十六夜咲夜", "琪露诺"));
            assertThat(inserted).extracting(r -> r.get("name")).containsExactly("十六夜咲夜", "琪露诺");
            long firstId = inserted.getFirst().getLong("id");
            assertThat(result.lastInsertId()).hasValue(firstId);
            assertThat(result.rowCount()).isEqualTo(2);
            // Connector/J reports keys as BIGINT UNSIGNED values (BigInteger)
            assertThat(result.generatedKeys())
                    .extracting(k -> ((Number) k).longValue())
                    .containsExactly(firstId, inserted.get(1).getLong("id"));

            // async with engine.acquire() as conn: list(map(dict, await (await conn.execute(...)).fetchall()))
            List<Map<String, Object>> data = await(engine.withConnection(conn -> {
                try (Cursor c = conn.cursor("select * from " + GIRL)) {
                    return c.fetchAll().stream().map(Row::toMap).toList();
                }
            }));
            System.out.println(data);
            assertThat(data).hasSize(5);
            assertThat(data).contains(Map.of("id", (int) firstId, "name", "十六夜咲夜", "age", 17, "place", "红魔馆"));
        } finally {
            engine.close();
        }
    }

    @Test
    void snippet2UpdateAndDeleteThroughTheTable() {
        MySqlDatabase engine = createEngine();
        try {
            Table tbl = await(engine.table(GIRL));
            // tbl.update().where(tbl.c.name == "古明地觉").values(age=17)
            ExecResult updated = await(engine.withConnection(conn -> {
                try (Transaction tx = conn.begin()) {
                    ExecResult r = conn.execute(tbl.update().set("age", 17).where(Condition.eq("name", "古明地觉")));
                    tx.commit();
                    return r;
                }
            }));
            assertThat(updated.rowCount()).isEqualTo(1);
            assertThat(await(engine.fetchValue("SELECT age FROM " + GIRL + " WHERE name = ?", Integer.class, "古明地觉")))
                    .isEqualTo(17);
            // tbl.delete().where(tbl.c.age > 100)
            ExecResult deleted = await(engine.execute(tbl.delete().where(Condition.gt("age", 100))));
            assertThat(deleted.rowCount()).isEqualTo(1);
            assertThat(await(engine.fetch("SELECT name FROM " + GIRL + " ORDER BY id")))
                    .extracting(r -> r.get("name"))
                    .containsExactly("古明地觉", "魂魄妖梦");
        } finally {
            engine.close();
        }
    }
}
