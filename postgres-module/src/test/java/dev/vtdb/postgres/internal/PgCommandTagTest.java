package dev.vtdb.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgCommandTagTest {

    @Test
    void theMainStatementOfAWithDecides() {
        assertThat(PgCommandTag.of(
                        "WITH a AS (SELECT 1), b (x) AS NOT MATERIALIZED (SELECT 2) INSERT INTO t SELECT 1", 5))
                .isEqualTo("INSERT 0 5");
        assertThat(PgCommandTag.of(
                        "with recursive r(n) as (select 1 union all select n + 1 from r) "
                                + "search depth first by n set o delete from t",
                        2))
                .isEqualTo("DELETE 2");
        assertThat(PgCommandTag.of("WITH c AS (INSERT INTO t VALUES (1) RETURNING 1) TABLE c", 1))
                .isEqualTo("SELECT 1");
    }

    @Test
    void quotesCommentsAndDollarQuotesAreNotWords() {
        assertThat(
                        PgCommandTag.topLevelWords(
                                "/* a /* nested */ CREATE */ SELECT 'it''s TABLE', E'\\' DROP', \"AS\", $t$ ; DELETE $t$, $1; DROP"))
                .containsExactly("SELECT");
        assertThat(PgCommandTag.of("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY) -- AS\n", 0))
                .isEqualTo("CREATE TABLE");
    }

    @Test
    void modifiersAndAliasesAreSpelledAsTheServerDoes() {
        assertThat(PgCommandTag.of("CREATE GLOBAL TEMPORARY TABLE t (x int)", 0))
                .isEqualTo("CREATE TABLE");
        assertThat(PgCommandTag.of("CREATE CONSTRAINT TRIGGER x AFTER INSERT ON t", 0))
                .isEqualTo("CREATE TRIGGER");
        assertThat(PgCommandTag.of("CREATE USER bob", 0)).isEqualTo("CREATE ROLE");
        assertThat(PgCommandTag.of("ALTER USER bob PASSWORD 'x'", 0)).isEqualTo("ALTER ROLE");
        assertThat(PgCommandTag.of("CREATE USER MAPPING FOR bob SERVER s", 0)).isEqualTo("CREATE USER MAPPING");
        assertThat(PgCommandTag.of("DROP TEXT SEARCH CONFIGURATION c", 0)).isEqualTo("DROP TEXT SEARCH CONFIGURATION");
        assertThat(PgCommandTag.of("CREATE FOREIGN DATA WRAPPER w", 0)).isEqualTo("CREATE FOREIGN DATA WRAPPER");
        assertThat(PgCommandTag.of("begin", 0)).isEqualTo("BEGIN");
        assertThat(PgCommandTag.of("ABORT", 0)).isEqualTo("ROLLBACK");
        assertThat(PgCommandTag.of("COMMIT PREPARED 'x'", 0)).isEqualTo("COMMIT PREPARED");
        assertThat(PgCommandTag.of("CLOSE ALL", 0)).isEqualTo("CLOSE CURSOR ALL");
        assertThat(PgCommandTag.of("DEALLOCATE PREPARE ALL", 0)).isEqualTo("DEALLOCATE ALL");
        assertThat(PgCommandTag.of("DISCARD TEMPORARY", 0)).isEqualTo("DISCARD TEMP");
        assertThat(PgCommandTag.of("SET search_path = x", 0)).isEqualTo("SET");
    }
}
