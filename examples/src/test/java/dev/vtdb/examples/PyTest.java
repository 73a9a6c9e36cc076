package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyTest {

    @Test
    void reprWritesPythonLiterals() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 1);
        m.put("name", "十六夜咲夜");
        m.put("ok", true);
        m.put("none", null);
        assertThat(Py.repr(m)).isEqualTo("{'id': 1, 'name': '十六夜咲夜', 'ok': True, 'none': None}");
        assertThat(Py.repr(Map.entry("age", 17))).isEqualTo("('age', 17)");
        assertThat(Py.repr("it's")).isEqualTo("\"it's\"");
        assertThat(Py.repr(Arrays.asList("a\\b", null))).isEqualTo("['a\\\\b', None]");
    }

    @Test
    void printJoinsStrOfEachValueWithSpaces() {
        assertThat(Py.print(null, "不存在的字段")).isEqualTo("None 不存在的字段");
        assertThat(Py.print(1, "x")).isEqualTo("1 x");
    }

    @Test
    void pformatBreaksWideListsOneElementPerLineLikePprint() {
        Row.Columns cols = Row.Columns.of("id", "name", "age", "place");
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(cols, new Object[] {1, "十六夜咲夜", 17, "红魔馆"}));
        rows.add(Row.of(cols, new Object[] {2, "琪露诺", 60, "雾之湖"}));
        assertThat(Py.pformat(rows))
                .isEqualTo("[<Record id=1 name='十六夜咲夜' age=17 place='红魔馆'>,\n"
                        + " <Record id=2 name='琪露诺' age=60 place='雾之湖'>]");
        assertThat(Py.pformat(List.of(1, 2))).isEqualTo("[1, 2]");
    }
}
