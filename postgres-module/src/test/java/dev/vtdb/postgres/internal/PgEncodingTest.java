package dev.vtdb.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PgEncodingTest {

    private static String copyText(Object v) {
        StringBuilder sb = new StringBuilder();
        PgCopy.appendValue(sb, v);
        return sb.toString();
    }

    @Test
    void copyTextEscapesSpecialCharactersAndNull() {
        assertThat(copyText(null)).isEqualTo("\\N");
        assertThat(copyText("a\tb\nc\rd\\e")).isEqualTo("a\\tb\\nc\\rd\\\\e");
        assertThat(copyText("\\N")).isEqualTo("\\\\N");
        assertThat(copyText(true)).isEqualTo("t");
        assertThat(copyText(42L)).isEqualTo("42");
        assertThat(copyText(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(copyText(new byte[] {0, (byte) 0xff, 0x10})).isEqualTo("\\\\x00ff10");
        assertThat(copyText(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        UUID u = UUID.randomUUID();
        assertThat(copyText(u)).isEqualTo(u.toString());
    }

    @Test
    void copyTextWritesArrayLiterals() {
        assertThat(copyText(List.of(1, 2, 3))).isEqualTo("{\"1\",\"2\",\"3\"}");
        assertThat(copyText(Arrays.asList("a\"b", null, "c\\d", "x\ty")))
                .isEqualTo("{\"a\\\\\"b\",NULL,\"c\\\\\\\\d\",\"x\\ty\"}");
    }

    @Test
    void quotesQualifiedNames() {
        assertThat(PgCopy.quoteQualified("girl")).isEqualTo("\"girl\"");
        assertThat(PgCopy.quoteQualified("app.girl")).isEqualTo("\"app\".\"girl\"");
        assertThat(PgCopy.quoteQualified("\"We.ird\".t")).isEqualTo("\"We.ird\".\"t\"");
        assertThat(PgCopy.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThatThrownBy(() -> PgCopy.quoteQualified(" ")).hasMessageContaining("must not be empty");
    }

    @Test
    void bulkInsertPlanRecognisesPlainInsertsOnly() {
        PgBulkInsert.Plan p = PgBulkInsert.plan("insert into girl(name, age, place) values ($1, $2, $3)");
        assertThat(p).isNotNull();
        assertThat(p.table()).isEqualTo("girl");
        assertThat(p.columns()).containsExactly("name", "age", "place");
        assertThat(p.argIndex()).containsExactly(0, 1, 2);

        PgBulkInsert.Plan swapped = PgBulkInsert.plan("INSERT INTO app.\"Girl\" (\"Name\", Age) VALUES ($2, $1);");
        assertThat(swapped.table()).isEqualTo("app.\"Girl\"");
        assertThat(swapped.columns()).containsExactly("Name", "age");
        assertThat(swapped.argIndex()).containsExactly(1, 0);

        assertThat(PgBulkInsert.plan("INSERT INTO t (a, b) VALUES (?, ?)")).isNotNull();
        assertThat(PgBulkInsert.plan("INSERT INTO t (a, b) VALUES ($1, now())")).isNull();
        assertThat(PgBulkInsert.plan("INSERT INTO t (a, b) VALUES ($1, $1)")).isNull();
        assertThat(PgBulkInsert.plan("INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"))
                .isNull();
        assertThat(PgBulkInsert.plan("INSERT INTO t (a) VALUES ($1) RETURNING id"))
                .isNull();
        assertThat(PgBulkInsert.plan("INSERT INTO t VALUES ($1)")).isNull();
        assertThat(PgBulkInsert.plan("UPDATE t SET a = $1")).isNull();
        assertThat(PgBulkInsert.plan("INSERT INTO t (a, b) VALUES ($1, ?)")).isNull();
    }

    @Test
    void intervalsConvertBothWays() {
        Duration d =
                Duration.ofDays(3).plusHours(4).plusMinutes(5).plusSeconds(6).plusMillis(789);
        assertThat(PgDriverSupport.duration(PgDriverSupport.interval(d))).isEqualTo(d);
        assertThat(PgDriverSupport.elementType(Integer.class)).isEqualTo("int4");
        assertThat(PgDriverSupport.elementType(java.time.Instant.class)).isEqualTo("timestamptz");
        assertThatThrownBy(() -> PgDriverSupport.elementType(Object.class)).hasMessageContaining("java.lang.Object");
    }
}
