package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.BatchResult;
import dev.vtdb.ConstraintViolationException;
import dev.vtdb.ExecResult;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.sql.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Placeholders, status strings, RETURNING, lastInsertId, executeMany, statement cache, advisory locks. */
class PgQueryIT extends PgITBase {

    @Override
    void setUp() {
        await(db.execute("CREATE TABLE girl (id serial PRIMARY KEY, name varchar(64) UNIQUE NOT NULL, age int,"
                + " place text)"));
        await(db.execute("CREATE TABLE ident (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text)"));
        await(db.execute("CREATE VIEW girl_view AS SELECT name, age, place FROM girl"));
    }

    @BeforeEach
    void clean() {
        await(db.execute("TRUNCATE girl, ident RESTART IDENTITY"));
    }

    @Test
    void numberedPlaceholdersAreReusedAndLeftAloneInLiteralsCommentsAndQuotes() {
        Row r = await(db.fetchRow(
                        "SELECT $1::int + $1::int AS twice, '$2 in a literal' AS lit,"
                                + " $$ $3 in dollar quotes $$ AS dq, $tag$ $1 $tag$ AS tagged, $2::text AS second,"
                                + " 1 AS \"$1\" /* $9 in a comment */ -- $8 too\n",
                        21,
                        "x"))
                .orElseThrow();
        assertThat(r.get("twice")).isEqualTo(42);
        assertThat(r.get("lit")).isEqualTo("$2 in a literal");
        assertThat(r.get("dq")).isEqualTo(" $3 in dollar quotes ");
        assertThat(r.get("tagged")).isEqualTo(" $1 ");
        assertThat(r.get("second")).isEqualTo("x");
        assertThat(r.get("$1")).isEqualTo(1);
        assertThat(await(db.fetchValue("SELECT $2::text || $1::text || $2::text", String.class, "a", "b")))
                .isEqualTo("bab");
        assertThat(await(db.fetchValue("SELECT ?::int * 2", Integer.class, 4))).isEqualTo(8);
    }

    @Test
    void invalidUnicodeIsRefusedByNumberedParameterAndInvalidUtf8ByTheServer() {
        assertThat(db.execute("INSERT INTO girl (name, age, place) VALUES ($2, $1, $2)", 1, "x\uD800"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22021");
                    assertThat(e.getMessage())
                            .contains("execute refused parameter $2")
                            .contains("U+D800 at index 1");
                });
        // executeMany's fast paths: COPY into the table, INSERT ... SELECT FROM unnest into the view
        List<List<?>> rows = List.of(List.of("fine", 1), List.of("bad\uDFFF", 2));
        for (String target : List.of("girl", "girl_view")) {
            assertThat(db.executeMany("INSERT INTO " + target + " (name, age) VALUES ($1, $2)", rows))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(QueryException.class)
                    .withMessageContaining("executeMany refused row 2, parameter $1")
                    .withMessageContaining("U+DFFF at index 3");
        }
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                .isZero();
        // bytes are the server's to check: convert_from refuses what is not UTF-8
        assertThat(db.fetchValue(
                        "SELECT convert_from($1, 'UTF8')", String.class, (Object) new byte[] {(byte) 0xC3, 0x28}))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22021");
                    assertThat(e.getMessage()).contains("invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
                });
    }

    @Test
    void executeReportsAsyncpgStatusStrings() {
        assertThat(await(db.execute("INSERT INTO girl (name, age) VALUES ($1, $2)", "a", 1))
                        .status())
                .isEqualTo("INSERT 0 1");
        await(db.execute("INSERT INTO girl (name, age) VALUES ('b', 2), ('c', 3)"));
        ExecResult update = await(db.execute("UPDATE girl SET age = age + 1"));
        assertThat(update.status()).isEqualTo("UPDATE 3");
        assertThat(update.rowCount()).isEqualTo(3);
        assertThat(await(db.execute("DELETE FROM girl WHERE age > $1", 100)).status())
                .isEqualTo("DELETE 0");
        assertThat(await(db.execute("SELECT * FROM girl WHERE age < $1", 4)).status())
                .isEqualTo("SELECT 2");
        assertThat(await(db.execute("CREATE TEMP TABLE scratch (x int)")).status())
                .isEqualTo("CREATE TABLE");
    }

    @Test
    void executeReportsTheServersCommandTagForEveryStatementForm() {
        // each statement with the tag PostgreSQL sends for it (psql prints the same)
        String[][] cases = {
            {"CREATE TABLE tag_t (id int)", "CREATE TABLE"},
            {"CREATE UNLOGGED TABLE tag_u (id int)", "CREATE TABLE"},
            {"CREATE TEMP TABLE tag_tmp (id int GENERATED ALWAYS AS IDENTITY, n int)", "CREATE TABLE"},
            {"CREATE TABLE tag_as AS SELECT g FROM generate_series(1, 3) g", "SELECT 3"},
            {"CREATE TABLE tag_nd AS SELECT 1 AS a WITH NO DATA", "CREATE TABLE AS"},
            {"SELECT 1 AS x INTO tag_into", "SELECT 1"},
            {"WITH c AS (SELECT g FROM generate_series(1, 2) g) INSERT INTO tag_t SELECT g FROM c", "INSERT 0 2"},
            {"WITH RECURSIVE c(n) AS (VALUES (1)) UPDATE tag_t SET id = id WHERE id IN (SELECT n FROM c)", "UPDATE 1"},
            {"WITH c AS MATERIALIZED (DELETE FROM tag_as WHERE g = 3 RETURNING g) SELECT * FROM tag_t", "SELECT 2"},
            {"VALUES (1), (2)", "SELECT 2"},
            {"TABLE tag_t", "SELECT 2"},
            {"(SELECT 1) UNION ALL (SELECT 2) UNION ALL (SELECT 3)", "SELECT 3"},
            {"/* lead */ -- line\n  select 'WITH INSERT' AS \"TABLE\", $x$ ; DROP $x$", "SELECT 1"},
            {"CREATE MATERIALIZED VIEW tag_mv AS SELECT * FROM tag_t", "SELECT 2"},
            {"CREATE MATERIALIZED VIEW tag_mv_nd AS SELECT * FROM tag_t WITH NO DATA", "CREATE MATERIALIZED VIEW"},
            {"REFRESH MATERIALIZED VIEW tag_mv", "REFRESH MATERIALIZED VIEW"},
            {"ALTER MATERIALIZED VIEW tag_mv RENAME TO tag_mv2", "ALTER MATERIALIZED VIEW"},
            {"DROP MATERIALIZED VIEW tag_mv2, tag_mv_nd", "DROP MATERIALIZED VIEW"},
            {"CREATE OR REPLACE FUNCTION tag_f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "CREATE FUNCTION"},
            {"CREATE UNIQUE INDEX tag_i ON tag_t (id)", "CREATE INDEX"},
            {"CREATE OR REPLACE VIEW tag_v AS SELECT 1 AS one", "CREATE VIEW"},
            {"START TRANSACTION", "START TRANSACTION"},
            {"LOCK TABLE tag_t", "LOCK TABLE"},
            {"END", "COMMIT"},
            {"TRUNCATE tag_t", "TRUNCATE TABLE"},
            {"DO $$ BEGIN PERFORM 1; END $$", "DO"},
            {"ALTER TABLE tag_t ADD COLUMN z int", "ALTER TABLE"},
            {"DROP VIEW tag_v", "DROP VIEW"},
            {"DROP FUNCTION tag_f()", "DROP FUNCTION"},
            {"DROP TABLE tag_t, tag_u, tag_tmp, tag_as, tag_nd, tag_into", "DROP TABLE"},
        };
        List<String> got = await(db.withConnection(s -> {
            List<String> tags = new ArrayList<>();
            for (String[] c : cases) {
                tags.add(s.execute(c[0]).status());
            }
            return tags;
        }));
        assertThat(got).containsExactly(Arrays.stream(cases).map(c -> c[1]).toArray(String[]::new));
    }

    @Test
    void jsonbQuestionMarkOperatorsWorkBareWithNumberedPlaceholdersAndEscapedWithQuestionMarks() {
        List<Long> counts = await(db.withConnection(s -> {
            s.execute("CREATE TEMP TABLE docs (id int, j jsonb)");
            s.execute("INSERT INTO docs VALUES (1, '{\"k\": 1, \"m\": 2}'), (2, '{\"m\": 3}')");
            List<Long> out = new ArrayList<>();
            out.add(s.fetchValue("SELECT count(*) FROM docs WHERE j ? $1", Long.class, "k"));
            out.add(s.fetchValue(
                    "SELECT count(*) FROM docs WHERE j ?| $1 AND id > $2", Long.class, List.of("k", "x"), 0));
            out.add(s.fetchValue("SELECT count(*) FROM docs WHERE j ?& array['k', 'm'] AND id = $1", Long.class, 1));
            out.add(s.fetchValue("SELECT count(*) FROM docs WHERE j ?? $1", Long.class, "m"));
            out.add(s.fetchValue("SELECT count(*) FROM docs WHERE j ?? ? AND id = ?", Long.class, "m", 2));
            out.add(s.fetchValue("SELECT count(*) FROM docs WHERE j ??| ?", Long.class, List.of("k")));
            s.execute("DROP TABLE docs");
            return out;
        }));
        assertThat(counts).containsExactly(1L, 1L, 1L, 2L, 1L, 1L);
    }

    @Test
    void insertReturningWorksThroughFetchAndFetchRow() {
        Row r = await(db.fetchRow("INSERT INTO girl (name, age) VALUES ($1, $2) RETURNING id, name", "r", 5))
                .orElseThrow();
        assertThat(r.get("id")).isEqualTo(1);
        assertThat(r.get("name")).isEqualTo("r");
        List<Row> rows = await(db.fetch("INSERT INTO girl (name) VALUES ('s'), ('t') RETURNING id"));
        assertThat(rows).extracting(x -> x.get("id")).containsExactly(2, 3);
    }

    @Test
    void tableInsertReportsLastInsertIdForSerialAndIdentity() {
        Table girl = await(db.table("girl"));
        assertThat(girl.autoIncrementColumn()).isPresent();
        ExecResult r = await(db.execute(girl.insert().values(Map.of("name", "first", "age", 1))));
        assertThat(r.lastInsertId()).hasValue(1L);

        Table ident = await(db.table(schema + ".ident"));
        assertThat(ident.autoIncrementColumn()).isPresent();
        ExecResult two = await(db.execute(ident.insert().values(List.of(Map.of("name", "x"), Map.of("name", "y")))));
        assertThat(two.rowCount()).isEqualTo(2);
        assertThat(two.lastInsertId()).hasValue(1L);
        assertThat(two.generatedKeys()).containsExactly(1L, 2L);
    }

    @Test
    void tableFindsAnUnqualifiedNameWhereTheSearchPathDoes() {
        String first = schema + "_first";
        String second = schema + "_second";
        await(db.execute("DROP SCHEMA IF EXISTS " + first + " CASCADE"));
        await(db.execute("DROP SCHEMA IF EXISTS " + second + " CASCADE"));
        await(db.execute("CREATE SCHEMA " + first));
        await(db.execute("CREATE SCHEMA " + second));
        try {
            await(db.execute("CREATE TABLE " + second + ".only_second (id int PRIMARY KEY, b text)"));
            await(db.execute("CREATE TABLE " + first + ".twice (id int, in_first text)"));
            await(db.execute("CREATE TABLE " + second + ".twice (id int, in_second text)"));
            try (PgDatabase path = Postgres.connect(options().toBuilder()
                    .poolSize(1)
                    .serverOptions("-c search_path=" + first + "," + second)
                    .build())) {
                Table onlySecond = await(path.table("only_second"));
                assertThat(onlySecond.columnNames()).containsExactly("id", "b");
                assertThat(onlySecond.primaryKey()).containsExactly("id");
                assertThat(await(path.table("twice")).columnNames())
                        .as("the first schema on the path holding it, as SELECT * FROM twice reads")
                        .containsExactly("id", "in_first");
                assertThat(await(path.fetch("SELECT * FROM twice"))).isEmpty();
                assertThat(await(path.table(second + ".twice")).columnNames()).containsExactly("id", "in_second");
                assertThat(path.table("nowhere"))
                        .failsWithin(WAIT)
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(QueryException.class)
                        .withMessageContaining("no table 'nowhere'");
                assertThat(path.awaitIdle(WAIT)).isTrue();
            }
        } finally {
            await(db.execute("DROP SCHEMA " + first + " CASCADE"));
            await(db.execute("DROP SCHEMA " + second + " CASCADE"));
        }
    }

    private static List<List<?>> girls(int n, String prefix) {
        List<List<?>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(Arrays.asList(prefix + i, i % 3 == 0 ? null : i, "place " + i));
        }
        return rows;
    }

    @Test
    void executeManyInsertsEveryRowWithNulls() {
        BatchResult r =
                await(db.executeMany("INSERT INTO girl (name, age, place) VALUES ($1, $2, $3)", girls(1000, "g")));
        assertThat(r.size()).isEqualTo(1000);
        assertThat(r.totalRowCount()).isEqualTo(1000);
        assertThat(r.counts()).containsOnly(1L);
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl WHERE age IS NULL", Long.class)))
                .isEqualTo(334L);
        assertThat(await(db.fetchValue("SELECT place FROM girl WHERE name = 'g999'", String.class)))
                .isEqualTo("place 999");
        // ids follow the argument order
        assertThat(await(db.fetchValue("SELECT name FROM girl WHERE id = 1000", String.class)))
                .isEqualTo("g999");
    }

    @Test
    void executeManyIsAllOrNothingOnBothPaths() {
        await(db.execute("INSERT INTO girl (name) VALUES ('taken')"));
        List<List<?>> clash = girls(500, "c");
        clash.set(250, List.of("taken", 1, "x"));
        for (String sql : List.of(
                "INSERT INTO girl (name, age, place) VALUES ($1, $2, $3)", // COPY
                "INSERT INTO girl_view (name, age, place) VALUES ($1, $2, $3)", // INSERT ... SELECT FROM unnest
                "INSERT INTO girl (name, age, place) VALUES ($1, $2::int, $3)")) { // JDBC batch
            assertThat(db.executeMany(sql, clash))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
                        assertThat(e.constraint()).isEqualTo("girl_name_key");
                        assertThat(e.sql()).isEqualTo(sql);
                        assertThat(e.getMessage()).contains("SQL: " + sql);
                    });
            assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                    .isEqualTo(1L);
        }
    }

    @Test
    void executeManyIntoAViewUsesUnnestAndKeepsOrder() {
        BatchResult r =
                await(db.executeMany("INSERT INTO girl_view (place, name, age) VALUES ($3, $1, $2)", girls(100, "v")));
        assertThat(r.totalRowCount()).isEqualTo(100);
        assertThat(r.counts()).containsOnly(1L);
        assertThat(await(db.fetchRow("SELECT name, age, place FROM girl WHERE id = 99"))
                        .orElseThrow()
                        .values())
                .containsExactly("v98", 98, "place 98");
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl WHERE age IS NULL", Long.class)))
                .isEqualTo(34L);
    }

    @Test
    void executeManyRejectsBadRowsBeforeSending() {
        assertThat(db.executeMany(
                        "INSERT INTO girl (name, age) VALUES ($1, $2)", List.of(List.of("a", 1), List.of("b"))))
                .failsWithin(WAIT)
                .withThrowableThat()
                .withMessageContaining("row 2")
                .withMessageContaining("expects 2 arguments")
                .withMessageContaining("but 1 was given");
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                .isZero();
    }

    @Test
    void executeManyThroughputIsReported() {
        int n = 10_000;
        List<List<?>> rows = girls(n, "fast");
        StringBuilder report = new StringBuilder("executeMany " + n + " rows:");
        for (String[] path : new String[][] {
            {"COPY", "INSERT INTO girl (name, age, place) VALUES ($1, $2, $3)"},
            {"unnest", "INSERT INTO girl_view (name, age, place) VALUES ($1, $2, $3)"},
            {"JDBC batch (reWriteBatchedInserts)", "INSERT INTO girl (name, age, place) VALUES ($1, $2::int, $3)"}
        }) {
            await(db.execute("TRUNCATE girl"));
            await(db.executeMany(path[1], rows)); // warm-up
            await(db.execute("TRUNCATE girl"));
            long t0 = System.nanoTime();
            assertThat(await(db.executeMany(path[1], rows)).size()).isEqualTo(n);
            long nanos = System.nanoTime() - t0;
            report.append(String.format(" %s %.0f rows/s;", path[0], n * 1e9 / nanos));
            assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                    .isEqualTo((long) n);
        }
        System.out.println(report);
    }

    @Test
    void connectOneRunsEveryCallOnOneConnectionInOrder() {
        try (PgDatabase one = Postgres.connectOne(options())) {
            assertThat(one.stats().workers()).isEqualTo(1);
            List<CompletableFuture<Integer>> pids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                pids.add(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            }
            assertThat(pids.stream().map(PgITBase::await).distinct()).hasSize(1);
            CompletableFuture<ExecResult> first = one.execute("INSERT INTO girl (name) VALUES ('one')");
            CompletableFuture<Long> second = one.fetchValue("SELECT count(*) FROM girl", Long.class);
            assertThat(await(second)).isEqualTo(1L);
            assertThat(first).isDone();
        }
    }

    private static long preparedAfterRepeats(PgDatabase one) {
        for (int i = 0; i < 10; i++) {
            await(one.fetchValue("SELECT $1::int + 1", Integer.class, i));
        }
        return await(
                one.fetchValue("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%+ 1%'", Long.class));
    }

    @Test
    void preparedStatementCacheIsOnByDefault() {
        try (PgDatabase one = Postgres.connectOne(options())) {
            assertThat(preparedAfterRepeats(one)).isPositive();
        }
    }

    @Test
    void pgBouncerTransactionModeTurnsServerSidePreparesOff() {
        try (PgDatabase one = Postgres.connectOne(
                options().toBuilder().pgBouncerTransactionMode(true).build())) {
            assertThat(preparedAfterRepeats(one)).isZero();
            assertThat(await(one.fetchValue("SELECT count(*) FROM pg_prepared_statements", Long.class)))
                    .isZero();
        }
    }

    @Test
    void advisoryLockIsHeldDuringTheCallbackAndReleasedAfter() {
        long key = 4242_0001L;
        String locks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted";
        Long held = await(db.withAdvisoryLock(key, s -> s.fetchValue(locks, Long.class, key)));
        assertThat(held).isEqualTo(1L);
        assertThat(await(db.fetchValue(locks, Long.class, key))).isZero();

        assertThat(db.withAdvisoryLock(key, s -> {
                    throw new IllegalStateException("boom");
                }))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalStateException.class);
        assertThat(await(db.fetchValue(locks, Long.class, key))).isZero();
    }

    @Test
    void advisoryLockIsReleasedWhenTheCallbackHitsItsDeadline() {
        long key = 4242_0003L;
        assertThat(db.withTimeout(java.time.Duration.ofMillis(500))
                        .withAdvisoryLock(key, s -> s.fetch("SELECT pg_sleep(20)")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(dev.vtdb.DeadlineExceededException.class);
        assertThat(db.awaitIdle(WAIT)).isTrue();
        assertThat(await(db.fetchValue(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", Long.class, key)))
                .isZero();
        String again = await(db.withAdvisoryLock(key, s -> "again"));
        assertThat(again).isEqualTo("again");
    }

    @Test
    void advisoryLockExcludesASecondHolder() throws InterruptedException {
        long key = 4242_0002L;
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Object> first = db.withAdvisoryLock(key, s -> {
            holding.countDown();
            assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            order.add("first");
            return null;
        });
        assertThat(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> second = db.withAdvisoryLock(key, s -> order.add("second"));
        assertThat(eventually(() -> await(db.fetchValue(
                                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1"
                                        + " AND NOT granted",
                                Long.class,
                                key))
                        == 1))
                .isTrue();
        release.countDown();
        assertThat(first).succeedsWithin(WAIT);
        assertThat(second).succeedsWithin(WAIT);
        assertThat(order).containsExactly("first", "second");
    }
}
