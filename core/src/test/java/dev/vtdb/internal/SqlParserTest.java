package dev.vtdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.VtdbException;
import dev.vtdb.internal.SqlParser.Flavor;
import dev.vtdb.internal.SqlParser.Parsed;
import dev.vtdb.internal.SqlParser.Style;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlParserTest {
    @Test
    void numberedPlaceholdersBecomeJdbcAndReuseValues() {
        Parsed p = SqlParser.parse("insert into girl(name, age, place) values ($1, $2, $3)", Flavor.POSTGRES);
        assertThat(p.sql()).isEqualTo("insert into girl(name, age, place) values (?, ?, ?)");
        assertThat(p.style()).isEqualTo(Style.NUMBERED);
        assertThat(p.bindPositional(new Object[] {"a", 1, "b"})).containsExactly("a", 1, "b");

        Parsed reused = SqlParser.parse("select $2, $1, $2", Flavor.POSTGRES);
        assertThat(reused.sql()).isEqualTo("select ?, ?, ?");
        assertThat(reused.arity()).isEqualTo(2);
        assertThat(reused.bindPositional(new Object[] {"one", "two"})).containsExactly("two", "one", "two");
    }

    @Test
    void dollarNInsideLiteralsCommentsAndDollarQuotesIsLeftAlone() {
        String sql =
                "select '$1', \"$2col\", $$ body $3 $$, $tag$ $4 $tag$, E'it\\'s $5' -- $6\n /* $7 /* $8 */ */ , $1";
        Parsed p = SqlParser.parse(sql, Flavor.POSTGRES);
        assertThat(p.arity()).isEqualTo(1);
        assertThat(p.sql())
                .endsWith(", ?")
                .contains("'$1'")
                .contains("$$ body $3 $$")
                .contains("$tag$ $4 $tag$");
    }

    @Test
    void castsAreNotNamedParameters() {
        Parsed p = SqlParser.parse("select $1::int, now()::date", Flavor.POSTGRES);
        assertThat(p.sql()).isEqualTo("select ?::int, now()::date");
        assertThat(p.arity()).isEqualTo(1);
    }

    @Test
    void namedParametersBindFromMap() {
        Parsed p = SqlParser.parse("select * from t where a = :a and b = :b or a = :a", Flavor.STANDARD);
        assertThat(p.sql()).isEqualTo("select * from t where a = ? and b = ? or a = ?");
        assertThat(p.bindNamed(Map.of("a", 1, "b", 2))).containsExactly(1, 2, 1);
        assertThatThrownBy(() -> p.bindNamed(Map.of("a", 1)))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("no value for parameter :b");
        assertThatThrownBy(() -> p.bindNamed(Map.of("a", 1, "b", 2, "c", 3)))
                .hasMessageContaining(":c is not in the statement");
    }

    @Test
    void positionalCountIsChecked() {
        Parsed p = SqlParser.parse("select ? , ?", Flavor.MYSQL);
        assertThatThrownBy(() -> p.bindPositional(new Object[] {1}))
                .isInstanceOf(VtdbException.class)
                .hasMessage("statement expects 2 arguments but 1 was given");
        Parsed none = SqlParser.parse("select '?' from `a?b` # ?\n", Flavor.MYSQL);
        assertThat(none.arity()).isZero();
    }

    @Test
    void mixingStylesAndGapsAreRejected() {
        assertThatThrownBy(() -> SqlParser.parse("select $1, :a", Flavor.POSTGRES))
                .hasMessageContaining("mixes");
        assertThatThrownBy(() -> SqlParser.parse("select :a, ?", Flavor.POSTGRES))
                .hasMessageContaining("mixes")
                .hasMessageContaining("written ??");
        assertThatThrownBy(() -> SqlParser.parse("select :a, ?", Flavor.STANDARD))
                .hasMessageContaining("mixes");
        assertThatThrownBy(() -> SqlParser.parse("select $2", Flavor.POSTGRES)).hasMessageContaining("$1 is missing");
        assertThatThrownBy(() -> SqlParser.parse("select $0", Flavor.POSTGRES)).hasMessageContaining("$0");
        assertThatThrownBy(() -> SqlParser.parse("  ", Flavor.POSTGRES)).hasMessageContaining("empty");
    }

    @Test
    void aBareQuestionMarkInANumberedStatementIsTheJsonbOperator() {
        Parsed p = SqlParser.parse(
                "select * from t where j ? $1 and j ?| $2 and j ?& array['a'] and j ?? 'k' and '?' = $1",
                Flavor.POSTGRES);
        assertThat(p.style()).isEqualTo(Style.NUMBERED);
        assertThat(p.sql())
                .isEqualTo("select * from t where j ?? ? and j ??| ? and j ??& array['a'] and j ?? 'k' and '?' = ?");
        assertThat(p.arity()).isEqualTo(2);
        assertThat(p.bindPositional(new Object[] {"k", "l"})).containsExactly("k", "l", "k");
        Parsed first = SqlParser.parse("select j ? 'k', $1", Flavor.POSTGRES);
        assertThat(first.sql()).isEqualTo("select j ?? 'k', ?");

        // in a ? statement a bare ? is a placeholder and ?? the operator
        Parsed positional = SqlParser.parse("select * from t where j ?? ? and id = ?", Flavor.POSTGRES);
        assertThat(positional.style()).isEqualTo(Style.POSITIONAL);
        assertThat(positional.sql()).isEqualTo("select * from t where j ?? ? and id = ?");
        assertThat(positional.arity()).isEqualTo(2);
        assertThat(positional.bindPositional(new Object[] {"k", 1})).containsExactly("k", 1);
        Parsed bare = SqlParser.parse("select j ? 'k'", Flavor.POSTGRES);
        assertThat(bare.style()).isEqualTo(Style.POSITIONAL);
        assertThat(bare.arity()).isEqualTo(1);
    }

    @Test
    void redactsStringLiterals() {
        assertThat(SqlParser.redact("select * from u where pw = 'hunter2' and n = 'a''b'", Flavor.STANDARD))
                .isEqualTo("select * from u where pw = '***' and n = '***'");
    }

    @Test
    void onlyOneSelectWithoutCommentsLocksOrIntoIsPlain() {
        assertThat(SqlParser.parse("  SELECT id, n FROM world WHERE id = $1", Flavor.POSTGRES)
                        .plainSelect())
                .isTrue();
        assertThat(SqlParser.parse("select ';' as semi, 'for update' as text", Flavor.POSTGRES)
                        .plainSelect())
                .as("keywords inside literals only make it not plain")
                .isFalse();
        assertThat(SqlParser.parse("select $$;$$", Flavor.POSTGRES).plainSelect())
                .isTrue();
        for (String sql : new String[] {
            "select 1; select 2",
            "select 1;",
            "select 1 -- why",
            "select /* hint */ 1",
            "select * from t for update",
            "select * from t FOR  NO KEY UPDATE",
            "select * from t for key share",
            "select * from t for share skip locked",
            "select * into t2 from t",
            "with x as (delete from t returning *) select * from x",
            "update t set a = 1",
            "selectfoo()",
            "values (1)"
        }) {
            assertThat(SqlParser.parse(sql, Flavor.POSTGRES).plainSelect())
                    .as(sql)
                    .isFalse();
        }
    }
}
