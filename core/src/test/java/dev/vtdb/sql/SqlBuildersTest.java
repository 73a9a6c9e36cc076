package dev.vtdb.sql;

import static dev.vtdb.sql.Condition.and;
import static dev.vtdb.sql.Condition.eq;
import static dev.vtdb.sql.Condition.gt;
import static dev.vtdb.sql.Condition.in;
import static dev.vtdb.sql.Condition.isNull;
import static dev.vtdb.sql.Condition.like;
import static dev.vtdb.sql.Condition.ne;
import static dev.vtdb.sql.Condition.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.VtdbException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlBuildersTest {
    private static Table girl(Dialect d) {
        return Table.of(
                d,
                "girl",
                List.of(
                        new Column("id", "int", Types.INTEGER, false, null, true, true),
                        Column.of("name", "varchar"),
                        Column.of("age", "int"),
                        Column.of("place", "varchar")));
    }

    private static Map<String, Object> row(String name, int age, String place) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("age", age);
        m.put("place", place);
        return m;
    }

    @ParameterizedTest
    @CsvSource({"postgres,\"", "mysql,`"})
    void multiRowInsertQuotesIdentifiersAndBindsValues(String dialect, String q) {
        Table t = girl(dialect.equals("postgres") ? Dialect.POSTGRES : Dialect.MYSQL);
        Insert insert = t.insert().values(List.of(row("十六夜咲夜", 17, "红魔馆"), row("琪露诺", 60, "雾之湖")));
        String n = q + "name" + q;
        assertThat(insert.sql())
                .isEqualTo("INSERT INTO " + q + "girl" + q + " (" + n + ", " + q + "age" + q + ", " + q + "place" + q
                        + ") VALUES (?, ?, ?), (?, ?, ?)");
        assertThat(insert.parameters()).containsExactly("十六夜咲夜", 17, "红魔馆", "琪露诺", 60, "雾之湖");
        assertThat(insert.generatedKeyColumns()).containsExactly("id");
    }

    @Test
    void upsertWithValuesBindsThemAfterTheRows() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("age", 18);
        set.put("place", "红魔馆");
        Insert mysql = girl(Dialect.MYSQL).insert().values(row("a", 1, "p")).onDuplicateKeyUpdate(set);
        assertThat(mysql.sql()).endsWith("VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `age` = ?, `place` = ?");
        assertThat(mysql.parameters()).containsExactly("a", 1, "p", 18, "红魔馆");
        Insert pg = girl(Dialect.POSTGRES).insert().values(row("a", 1, "p")).onDuplicateKeyUpdate(set);
        assertThat(pg.sql()).endsWith(" ON CONFLICT (\"id\") DO UPDATE SET \"age\" = ?, \"place\" = ?");
        assertThat(pg.parameters()).containsExactly("a", 1, "p", 18, "红魔馆");
        assertThatThrownBy(() -> girl(Dialect.MYSQL).insert().onDuplicateKeyUpdate(Map.of("nope", 1)))
                .hasMessageContaining("unknown column 'nope'");
    }

    @Test
    void upsertRendersPerDialect() {
        assertThat(girl(Dialect.MYSQL)
                        .insert()
                        .values(row("a", 1, "p"))
                        .onDuplicateKeyUpdate("age")
                        .sql())
                .endsWith(" ON DUPLICATE KEY UPDATE `age` = VALUES(`age`)");
        assertThat(girl(Dialect.POSTGRES)
                        .insert()
                        .values(row("a", 1, "p"))
                        .onDuplicateKeyUpdate()
                        .sql())
                .endsWith(
                        " ON CONFLICT (\"id\") DO UPDATE SET \"name\" = EXCLUDED.\"name\", \"age\" = EXCLUDED.\"age\","
                                + " \"place\" = EXCLUDED.\"place\"");
    }

    @ParameterizedTest
    @CsvSource({"postgres,\"", "mysql,`"})
    void updateAndDeleteWithConditions(String dialect, String q) {
        Table t = girl(dialect.equals("postgres") ? Dialect.POSTGRES : Dialect.MYSQL);
        Update u = t.update().set("age", 18).where(eq("name", "十六夜咲夜"));
        assertThat(u.sql()).isEqualTo(("UPDATE `girl` SET `age` = ? WHERE `name` = ?").replace("`", q));
        assertThat(u.parameters()).containsExactly(18, "十六夜咲夜");
        Update raw = t.update().set("age", 18).where("name = ? AND age < ?", "十六夜咲夜", 18);
        assertThat(raw.sql()).isEqualTo("UPDATE `girl` SET `age` = ? WHERE name = ? AND age < ?".replace("`", q));
        assertThat(raw.parameters()).containsExactly(18, "十六夜咲夜", 18);

        Delete d = t.delete().where(or(and(gt("age", 50), like("place", "雾%")), isNull("place"), in("id", 1, 2)));
        assertThat(d.sql())
                .isEqualTo(
                        "DELETE FROM `girl` WHERE ((`age` > ? AND `place` LIKE ?) OR `place` IS NULL OR `id` IN (?, ?))"
                                .replace("`", q));
        assertThat(d.parameters()).containsExactly(50, "雾%", 1, 2);
        assertThat(t.delete().where(ne("id", null)).sql())
                .isEqualTo("DELETE FROM `girl` WHERE `id` IS NOT NULL".replace("`", q));
        assertThat(t.delete().where(in("id", List.of())).sql())
                .isEqualTo("DELETE FROM `girl` WHERE 1 = 0".replace("`", q));
        assertThat(t.delete().where("id = ?", 3).sql()).isEqualTo("DELETE FROM `girl` WHERE id = ?".replace("`", q));
        assertThat(Dialect.POSTGRES.quote("public.girl")).isEqualTo("\"public\".\"girl\"");
        assertThat(Dialect.MYSQL.quote("test.girl")).isEqualTo("`test`.`girl`");
    }

    @ParameterizedTest
    @CsvSource({"postgres,\"", "mysql,`"})
    void tableSelectQuotesColumnsAndOrderByNamesInBothDialects(String dialect, String q) {
        Table t = girl(dialect.equals("postgres") ? Dialect.POSTGRES : Dialect.MYSQL);
        Select s = t.select("name", "age")
                .where(gt("age", 17))
                .orderBy("age desc, name")
                .limit(5);
        assertThat(s.sql())
                .isEqualTo(
                        "SELECT `name`, `age` \nFROM `girl` \nWHERE `age` > ? \nORDER BY `age` DESC, `name` \nLIMIT ?"
                                .replace("`", q));
        assertThat(s.parameters()).containsExactly(17, 5L);
        // text that is not only column names stays SQL as given
        assertThat(t.select().orderBy("length(name) DESC").sql()).endsWith("ORDER BY length(name) DESC");
    }

    @Test
    void selectFromTextMatchesSqlAlchemyRendering() {
        Select s = Select.columns("id, name, place").from("girl").where("id != 1");
        assertThat(s).hasToString("SELECT id, name, place \nFROM girl \nWHERE id != 1");
        Select limited = Select.columns("*")
                .from("girl")
                .where("age > ?", 17)
                .orderBy("id DESC")
                .limit(2)
                .offset(1);
        assertThat(limited.sql())
                .isEqualTo("SELECT * \nFROM girl \nWHERE age > ? \nORDER BY id DESC \nLIMIT ? OFFSET ?");
        assertThat(limited.parameters()).containsExactly(17, 2L, 1L);
        assertThat(girl(Dialect.POSTGRES).select("name").where(eq("age", 17)).sql())
                .isEqualTo("SELECT \"name\" \nFROM \"girl\" \nWHERE \"age\" = ?");
    }

    @Test
    void unknownColumnsAreRejectedBeforeAnySqlNamingTheColumns() {
        Table t = girl(Dialect.MYSQL);
        assertThatThrownBy(() -> t.insert().values(Map.of("agee", 1)))
                .isInstanceOf(VtdbException.class)
                .hasMessage("unknown column 'agee' for table girl; its columns are [id, name, age, place]");
        assertThatThrownBy(() -> t.update().set("nope", 1)).hasMessageContaining("unknown column 'nope'");
        assertThatThrownBy(() -> t.delete().where(eq("x; drop table girl", 1)).sql())
                .hasMessageContaining("unknown column");
        assertThatThrownBy(() -> t.select("bad")).hasMessageContaining("unknown column 'bad'");
    }

    @Test
    void injectionThroughValuesAndIdentifiersCannotEscape() {
        String evil = "'); DROP TABLE girl; --";
        Insert i = girl(Dialect.POSTGRES).insert().values(row(evil, 1, "x"));
        assertThat(i.sql()).doesNotContain("DROP");
        assertThat(i.parameters()).contains(evil);
        assertThat(Dialect.MYSQL.quote("a`b")).isEqualTo("`a``b`");
        assertThat(Dialect.POSTGRES.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThatThrownBy(() -> Dialect.ANSI.quote("name; drop")).isInstanceOf(VtdbException.class);
        assertThatThrownBy(() -> Dialect.POSTGRES.quote("a\0b")).isInstanceOf(VtdbException.class);
        Table evilTable = Table.of(Dialect.MYSQL, "g`; DROP TABLE x; --", List.of(Column.of("c", "int")));
        assertThat(evilTable.delete().sql()).isEqualTo("DELETE FROM `g``; DROP TABLE x; --`");
    }

    @Test
    void insertRowsMustNameTheSameColumns() {
        Table t = girl(Dialect.MYSQL);
        assertThatThrownBy(() -> t.insert().values(List.of(Map.of("name", "a"), Map.of("age", 1))))
                .hasMessageContaining("every row must name the same columns");
        assertThatThrownBy(() -> t.insert().values(List.of())).hasMessageContaining("at least one row");
        assertThatThrownBy(() -> t.insert().sql()).hasMessageContaining("no values");
        assertThatThrownBy(() -> t.update().sql()).hasMessageContaining("no set");
        assertThatThrownBy(() -> Select.columns(" ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Select.columns("*").limit(-1)).hasMessageContaining("limit must be >= 0 but was -1");
    }
}
