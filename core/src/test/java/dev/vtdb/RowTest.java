package dev.vtdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RowTest {
    private final Row.Columns columns = Row.Columns.of("id", "name", "age", "place");
    private final Row row = Row.of(columns, new Object[] {1, "十六夜咲夜", 17L, null});

    @Test
    void getsByNameIndexAndDefault() {
        assertThat(row.get("id")).isEqualTo(1);
        assertThat(row.get(1)).isEqualTo("十六夜咲夜");
        assertThat(row.get("xxx", "不存在的字段")).isEqualTo("不存在的字段");
        assertThat(row.get("place", "default"))
                .as("NULL is a value, not a missing key")
                .isNull();
        assertThat(row.find("place")).isEmpty();
        Object missing = row.get("xxx", null);
        assertThat(missing).as("asyncpg's record.get('xxx', None)").isNull();
        Object present = row.get("id", null);
        assertThat(present).isEqualTo(1);
    }

    @Test
    void missingKeyNamesTheColumnsThatExist() {
        assertThatThrownBy(() -> row.get("xxx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column 'xxx' in row; columns are [id, name, age, place]");
        assertThatThrownBy(() -> row.get(9)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void typedGettersConvertExactly() {
        assertThat(row.getLong("id")).isEqualTo(1L);
        assertThat(row.getInt("age")).isEqualTo(17);
        assertThat(row.getBigDecimal("age")).isEqualByComparingTo(new BigDecimal(17));
        assertThat(row.getString("id")).isEqualTo("1");
        assertThat(row.getInt("place")).isNull();
        Row big = Row.of(Row.Columns.of("n"), new Object[] {Long.MAX_VALUE});
        assertThatThrownBy(() -> big.getInt("n"))
                .isInstanceOf(VtdbException.class)
                .hasMessage("column 'n' holds a java.lang.Long that does not fit java.lang.Integer");
        assertThatThrownBy(() -> row.get("name", Integer.class))
                .isInstanceOf(VtdbException.class)
                .hasMessage("column 'name' holds java.lang.String, which cannot be read as java.lang.Integer");
        Row flag = Row.of(Row.Columns.of("b"), new Object[] {1});
        assertThat(flag.getBoolean("b")).isTrue();
    }

    @Test
    void primitiveClassesReadAsTheirWrappers() {
        // row: id=1, name='十六夜咲夜', age=17L, place=NULL
        int id = row.get("id", int.class);
        long age = row.get("age", long.class);
        assertThat(id).isEqualTo(1);
        assertThat(age).isEqualTo(17L);
        assertThat(row.get(2, int.class)).isEqualTo(17);
        assertThat(row.get(0, double.class)).isEqualTo(1.0);
        assertThat(row.get("place", int.class)).isNull();
        Row flag = Row.of(Row.Columns.of("b"), new Object[] {true});
        assertThat(flag.get("b", boolean.class)).isTrue();
        assertThatThrownBy(() -> row.get("name", int.class))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("column 'name'")
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("java.lang.Integer");
    }

    @Test
    void timestampsWithAnOffsetReadAsInstantsAndBack() {
        OffsetDateTime at = OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 6_000, ZoneOffset.ofHours(2));
        Instant instant = Instant.parse("2021-06-07T08:09:10.123456Z");
        Row r = Row.of(
                Row.Columns.of("tz", "i", "local"), new Object[] {at, instant, LocalDateTime.of(2020, 1, 2, 3, 4)});
        assertThat(r.get("tz", Instant.class)).isEqualTo(at.toInstant());
        assertThat(r.get(0, Instant.class)).isEqualTo(Instant.parse("2020-01-02T01:04:05.000006Z"));
        assertThat(r.get("i", OffsetDateTime.class)).isEqualTo(instant.atOffset(ZoneOffset.UTC));
        assertThatThrownBy(() -> r.get("local", Instant.class))
                .as("a timestamp without a zone is no instant")
                .isInstanceOf(VtdbException.class)
                .hasMessage("column 'local' holds java.time.LocalDateTime, which cannot be read as java.time.Instant");
    }

    @Test
    void typedGettersByPositionConvertAsByLabel() {
        // row: id=1, name='十六夜咲夜', age=17L, place=NULL
        assertThat(row.getInt(0)).isEqualTo(1);
        assertThat(row.getLong(0)).isEqualTo(1L);
        assertThat(row.getString(1)).isEqualTo("十六夜咲夜");
        assertThat(row.getInt(2)).isEqualTo(17);
        assertThat(row.getDouble(2)).isEqualTo(17.0);
        assertThat(row.getBigDecimal(2)).isEqualByComparingTo(new BigDecimal(17));
        assertThat(row.getString(0)).isEqualTo("1");
        assertThat(row.getInt(3)).isNull();
        Row flag = Row.of(Row.Columns.of("b"), new Object[] {0});
        assertThat(flag.getBoolean(0)).isFalse();
        Row big = Row.of(Row.Columns.of("n"), new Object[] {Long.MAX_VALUE});
        assertThatThrownBy(() -> big.getInt(0))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("column 'n'")
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> row.getInt(1))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("column 'name'")
                .hasMessageContaining("cannot be read as java.lang.Integer");
        assertThatThrownBy(() -> row.getInt(4))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("4");
    }

    @Test
    void dictViewsKeepOrder() {
        assertThat(row.keys()).containsExactly("id", "name", "age", "place");
        assertThat(row.values()).containsExactly(1, "十六夜咲夜", 17L, null);
        assertThat(row.items())
                .containsExactly(entry("id", 1), entry("name", "十六夜咲夜"), entry("age", 17L), entry("place", null));
        assertThat(row.toMap())
                .containsExactly(entry("id", 1), entry("name", "十六夜咲夜"), entry("age", 17L), entry("place", null));
    }

    @Test
    void isImmutable() {
        assertThatThrownBy(() -> row.values().set(0, 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.keys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        row.toMap().put("id", 99);
        assertThat(row.get("id")).isEqualTo(1);
    }

    @Test
    void duplicateLabelsReachableByIndex() {
        Row dup = Row.of(Row.Columns.of("a", "a"), new Object[] {1, 2});
        assertThat(dup.get("a")).isEqualTo(1);
        assertThat(dup.get(1)).isEqualTo(2);
        assertThat(dup.keys()).containsExactly("a", "a");
        assertThat(dup.toMap()).containsExactly(entry("a", 1));
    }

    @Test
    void findsLabelsInNarrowAndWideRowsAlike() {
        // up to 8 columns are found by a scan, wider rows through a map: same answers, first match wins
        for (int width : new int[] {2, 8, 9, 40}) {
            String[] labels = new String[width];
            for (int i = 0; i < width - 1; i++) {
                labels[i] = "c" + i;
            }
            labels[width - 1] = "c0";
            Row.Columns c = Row.Columns.of(labels);
            assertThat(c.indexOf(new String("c" + (width - 2))))
                    .as("width %d", width)
                    .isEqualTo(width - 2);
            assertThat(c.indexOf("c0")).as("width %d", width).isZero();
            assertThat(c.indexOf("missing")).as("width %d", width).isEqualTo(-1);
            assertThat(c.indexOf(null)).as("width %d", width).isEqualTo(-1);
        }
    }

    @Test
    void printsLikeAsyncpgRecord() {
        assertThat(row).hasToString("<Record id=1 name='十六夜咲夜' age=17 place=None>");
        Row bytes = Row.of(Row.Columns.of("b"), new Object[] {new byte[] {1, 2, 3}});
        assertThat(bytes).hasToString("<Record b=b<3 bytes>>");
        // values as Python's repr prints them: True/False, quotes chosen around a quote, escapes
        Row text =
                Row.of(Row.Columns.of("a", "b", "c", "d"), new Object[] {"O'Brien", "say \"hi\" it's", "x\ny", true});
        assertThat(text).hasToString("<Record a=\"O'Brien\" b='say \"hi\" it\\'s' c='x\\ny' d=True>");
    }

    @Test
    void equalityIsByLabelsAndValues() {
        Row same = Row.of(
                Row.Columns.of(Arrays.asList("id", "name", "age", "place")), new Object[] {1, "十六夜咲夜", 17L, null});
        assertThat(row).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(row).isNotEqualTo(Row.of(columns, new Object[] {2, "x", 1L, null}));
    }

    @Test
    void rejectsMismatchedWidth() {
        assertThatThrownBy(() -> Row.of(columns, new Object[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 values but 4 columns");
    }
}
