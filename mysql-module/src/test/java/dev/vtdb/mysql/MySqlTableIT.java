package dev.vtdb.mysql;

import static dev.vtdb.sql.Condition.and;
import static dev.vtdb.sql.Condition.eq;
import static dev.vtdb.sql.Condition.gt;
import static dev.vtdb.sql.Condition.in;
import static dev.vtdb.sql.Condition.isNull;
import static dev.vtdb.sql.Condition.like;
import static dev.vtdb.sql.Condition.lt;
import static dev.vtdb.sql.Condition.ne;
import static dev.vtdb.sql.Condition.or;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.ExecResult;
import dev.vtdb.Row;
import dev.vtdb.sql.Column;
import dev.vtdb.sql.Dialect;
import dev.vtdb.sql.Insert;
import dev.vtdb.sql.Select;
import dev.vtdb.sql.Table;
import java.sql.Types;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SQLAlchemy Core-style tables on MySQL/MariaDB: reflection and the insert/update/delete/select builders. */
class MySqlTableIT extends MySqlTestBase {
    private static final String GIRL = "tbl_girl";

    @Override
    void createTables() {
        await(db.execute("CREATE TABLE " + GIRL + " (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64) NOT NULL,"
                + " age int DEFAULT 18, place varchar(64) DEFAULT 'unknown', `order` int NULL,"
                + " `home town` varchar(64), created datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                + " UNIQUE KEY uq_tbl_girl_name (name)) DEFAULT CHARSET=utf8mb4"));
    }

    @Override
    void dropTables() {
        await(db.execute("DROP TABLE IF EXISTS " + GIRL));
    }

    @BeforeEach
    void empty() {
        await(db.execute("DELETE FROM " + GIRL));
    }

    private Table girl() {
        return await(db.table(GIRL));
    }

    private void insertFour() {
        await(db.execute(girl().insert()
                .values(List.of(
                        row("十六夜咲夜", 17, "红魔馆"),
                        row("琪露诺", 60, "雾之湖"),
                        row("古明地觉", 16, "地灵殿"),
                        row("雾雨魔理沙", 15, null)))));
    }

    private static Map<String, Object> row(String name, int age, String place) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("age", age);
        m.put("place", place);
        return m;
    }

    @Test
    void reflectsColumnsTypesNullabilityDefaultsPrimaryKeyAndAutoIncrement() {
        Table t = girl();
        System.out.println(t.columns());
        assertThat(t.dialect()).isEqualTo(Dialect.MYSQL);
        assertThat(t.columnNames()).containsExactly("id", "name", "age", "place", "order", "home town", "created");
        assertThat(t.primaryKey()).containsExactly("id");
        assertThat(t.autoIncrementColumn()).map(Column::name).contains("id");
        Column id = t.column("id");
        assertThat(id.typeName()).isEqualTo("INT");
        assertThat(id.jdbcType()).isEqualTo(Types.INTEGER);
        assertThat(id.nullable()).isFalse();
        assertThat(id.autoIncrement()).isTrue();
        assertThat(id.defaultValue()).isNull();
        Column name = t.column("name");
        assertThat(name.typeName()).isEqualTo("VARCHAR");
        assertThat(name.jdbcType()).isEqualTo(Types.VARCHAR);
        assertThat(name.nullable()).isFalse();
        assertThat(name.primaryKey()).isFalse();
        assertThat(name.autoIncrement()).isFalse();
        assertThat(name.defaultValue()).isNull();
        assertThat(t.column("age").nullable()).isTrue();
        assertThat(t.column("age").defaultValue()).isEqualTo("18");
        assertThat(t.column("place").defaultValue()).isEqualTo("unknown");
        assertThat(t.column("order").defaultValue()).isNull();
        assertThat(t.column("created").typeName()).isEqualTo("DATETIME");
        assertThat(t.column("created").nullable()).isFalse();
        assertThat(t.column("created").defaultValue()).containsIgnoringCase("current_timestamp");
    }

    @Test
    void multiRowInsertIsOneStatementReportingFirstIdAndRowCount() {
        Insert insert = girl().insert().values(List.of(row("十六夜咲夜", 17, "红魔馆"), row("琪露诺", 60, "雾之湖")));
        assertThat(insert.sql())
                .isEqualTo("INSERT INTO `tbl_girl` (`name`, `age`, `place`) VALUES (?, ?, ?), (?, ?, ?)");
        assertThat(insert.parameters()).containsExactly("十六夜咲夜", 17, "红魔馆", "琪露诺", 60, "雾之湖");
        ExecResult r = await(db.execute(insert));
        assertThat(r.rowCount()).isEqualTo(2);
        assertThat(r.status()).isEqualTo("INSERT 0 2");
        List<Row> rows = await(db.fetch("SELECT id FROM " + GIRL + " ORDER BY id"));
        assertThat(r.lastInsertId()).hasValue(rows.getFirst().getLong("id"));
        assertThat(r.generatedKeys())
                .extracting(k -> ((Number) k).longValue())
                .containsExactly(rows.get(0).getLong("id"), rows.get(1).getLong("id"));
        // LAST_INSERT_ID() of the session is the first id, as aiomysql's lastrowid
        long lastInsertId = await(db.withConnection(s -> {
            ExecResult again = s.execute(girl().insert().values(List.of(row("a", 1, "x"), row("b", 2, "y"))));
            assertThat(again.rowCount()).isEqualTo(2);
            return s.fetchValue("SELECT LAST_INSERT_ID()", Long.class)
                    - again.lastInsertId().orElseThrow();
        }));
        assertThat(lastInsertId).isZero();
    }

    @Test
    void rowsGivingTheirOwnIdsBesideGeneratedOnesReportEveryRowsRealId() {
        Map<String, Object> own = new java.util.HashMap<>(row("given", 1, "x"));
        own.put("id", 500);
        Map<String, Object> generated = new java.util.HashMap<>(row("made", 2, "y"));
        generated.put("id", null); // MySQL makes an id for a NULL
        ExecResult r = await(db.execute(girl().insert().values(List.of(own, generated))));
        List<Row> rows = await(db.fetch("SELECT id, name FROM " + GIRL + " ORDER BY id"));
        assertThat(rows).extracting(x -> x.get("name")).containsExactly("given", "made");
        assertThat(r.generatedKeys())
                .extracting(k -> ((Number) k).longValue())
                .containsExactly(500L, rows.get(1).getLong("id"));
    }

    @Test
    void aTransactionOrAutoCommitOffLeftByRawSqlIsUndoneBeforeTheNextCall() {
        try (MySqlDatabase one = MySql.connect(options().toBuilder().poolSize(1).build())) {
            await(one.withConnection(s -> s.execute("SET autocommit = 0")));
            await(one.execute("INSERT INTO " + GIRL + " (name, age, place) VALUES (?, ?, ?)", "after", 1, "z"));
            assertThat(await(db.fetchValue("SELECT count(*) FROM " + GIRL + " WHERE name = 'after'", Long.class)))
                    .as("the next call's insert is committed, seen from another connection")
                    .isOne();
            assertThat(await(one.fetchValue("SELECT @@autocommit", Long.class))).isOne();
            assertThat(one.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void updateWithRawTextAndConditions() {
        insertFour();
        Table t = girl();
        ExecResult raw = await(db.execute(t.update().set("age", 18).where("name = ? AND age < ?", "十六夜咲夜", 18)));
        assertThat(raw.rowCount()).isEqualTo(1);
        assertThat(raw.status()).isEqualTo("UPDATE 1");
        ExecResult cond =
                await(db.execute(t.update().set(Map.of("place", "幻想乡")).where(isNull("place"))));
        assertThat(cond.rowCount()).isEqualTo(1);
        assertThat(await(db.fetch("SELECT name, age, place FROM " + GIRL + " ORDER BY id")))
                .extracting(r -> r.get("name") + "/" + r.get("age") + "/" + r.get("place"))
                .containsExactly("十六夜咲夜/18/红魔馆", "琪露诺/60/雾之湖", "古明地觉/16/地灵殿", "雾雨魔理沙/15/幻想乡");
    }

    @Test
    void deleteWithRawTextAndConditions() {
        insertFour();
        Table t = girl();
        assertThat(await(db.execute(t.delete().where("age > ?", 50))).rowCount())
                .isEqualTo(1);
        assertThat(await(db.execute(t.delete().where(or(eq("name", "古明地觉"), like("place", "红%")))))
                        .status())
                .isEqualTo("DELETE 2");
        assertThat(await(db.fetch("SELECT name FROM " + GIRL)))
                .extracting(r -> r.get("name"))
                .containsExactly("雾雨魔理沙");
    }

    @Test
    void selectWithPredicatesOrderByAndLimit() {
        insertFour();
        Table t = girl();
        Select young =
                t.select("name", "age").where(lt("age", 17)).orderBy("age DESC").limit(1);
        assertThat(young.sql())
                .isEqualTo("SELECT `name`, `age` \nFROM `tbl_girl` \nWHERE `age` < ? \nORDER BY `age` DESC \nLIMIT ?");
        assertThat(await(db.fetch(young))).extracting(r -> r.get("name")).containsExactly("古明地觉");

        assertThat(names(t.select().where(gt("age", 16)).orderBy("id"))).containsExactly("十六夜咲夜", "琪露诺");
        assertThat(names(t.select().where(ne("name", "琪露诺")).orderBy("id"))).containsExactly("十六夜咲夜", "古明地觉", "雾雨魔理沙");
        assertThat(names(t.select().where(eq("place", "雾之湖")))).containsExactly("琪露诺");
        assertThat(names(t.select().where(in("age", 15, 16, 99)).orderBy("age")))
                .containsExactly("雾雨魔理沙", "古明地觉");
        assertThat(names(t.select().where(in("age", List.of())))).isEmpty();
        assertThat(names(t.select().where(like("name", "%魔%")).orderBy("id"))).containsExactly("雾雨魔理沙");
        assertThat(names(t.select().where(isNull("place")))).containsExactly("雾雨魔理沙");
        assertThat(names(t.select()
                        .where(and(gt("age", 15), or(like("place", "红%"), eq("name", "古明地觉"))))
                        .orderBy("id")))
                .containsExactly("十六夜咲夜", "古明地觉");
        assertThat(names(t.select().where("age BETWEEN ? AND ?", 16, 17).orderBy("id")))
                .containsExactly("十六夜咲夜", "古明地觉");
        assertThat(names(t.select().where(gt("age", 0)).orderBy("id").limit(2).offset(1)))
                .containsExactly("琪露诺", "古明地觉");
    }

    private List<Object> names(Select select) {
        return await(db.fetch(select)).stream().map(r -> r.get("name")).toList();
    }

    @Test
    void identifiersAreQuotedWithBackticks() {
        Table t = girl();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "咲夜");
        values.put("order", 1);
        values.put("home town", "红魔馆");
        Insert insert = t.insert().values(values);
        assertThat(insert.sql()).contains("`order`").contains("`home town`");
        await(db.execute(insert));
        await(db.execute(t.update().set("order", 2).where(eq("home town", "红魔馆"))));
        Row row = await(db.fetch(t.select("order", "home town").where(eq("order", 2))))
                .getFirst();
        assertThat(row.toMap()).containsEntry("order", 2).containsEntry("home town", "红魔馆");
        assertThat(Dialect.MYSQL.quote("we`ird")).isEqualTo("`we``ird`");
    }

    @Test
    void valuesAreBoundNeverConcatenated() {
        String evil = "x'); DROP TABLE " + GIRL + "; -- \\' `";
        Insert insert = girl().insert().values(Map.of("name", evil));
        assertThat(insert.sql()).doesNotContain("DROP");
        await(db.execute(insert));
        assertThat(await(db.fetch(girl().select("name").where(eq("name", evil)))))
                .extracting(r -> r.get("name"))
                .containsExactly(evil);
    }

    @Test
    void upsertOnDuplicateKeyUpdate() {
        Table t = girl();
        await(db.execute(t.insert().values(row("琪露诺", 9, "雾之湖"))));
        Insert upsert = t.insert().values(row("琪露诺", 10, "红魔馆")).onDuplicateKeyUpdate("age");
        assertThat(upsert.sql()).endsWith("ON DUPLICATE KEY UPDATE `age` = VALUES(`age`)");
        ExecResult updated = await(db.execute(upsert));
        assertThat(updated.rowCount()).as("MySQL counts an updated row twice").isEqualTo(2);
        ExecResult inserted =
                await(db.execute(t.insert().values(row("大妖精", 11, "雾之湖")).onDuplicateKeyUpdate()));
        assertThat(inserted.rowCount()).isEqualTo(1);
        assertThat(await(db.fetch("SELECT name, age, place FROM " + GIRL + " ORDER BY id")))
                .extracting(r -> r.get("name") + "/" + r.get("age") + "/" + r.get("place"))
                .containsExactly("琪露诺/10/雾之湖", "大妖精/11/雾之湖");
        // SQLAlchemy's on_duplicate_key_update(place=...): a value of its own, bound
        ExecResult set =
                await(db.execute(t.insert().values(row("琪露诺", 99, "x")).onDuplicateKeyUpdate(Map.of("place", "博丽神社"))));
        assertThat(set.rowCount()).isEqualTo(2);
        assertThat(await(db.fetchValue("SELECT place FROM " + GIRL + " WHERE name = ?", String.class, "琪露诺")))
                .isEqualTo("博丽神社");
    }
}
