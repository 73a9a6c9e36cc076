package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.testkit.PipelineContract;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Reads of one statement queued behind each other share a round trip on MySQL/MariaDB
 * (MySqlOptions.pipelineLimit): one text {@code START TRANSACTION READ ONLY; SELECT ...; ...;
 * COMMIT}, sent with multi-statements turned on at the server only while shared reads run. Each
 * caller still gets its own rows, its own error, its own cancel and deadline (the scenarios of
 * {@link PipelineContract}, and MySQL's own below). Every test parks the only worker of a
 * one-connection database on a latch, queues the reads behind it, then lets the worker go, so the
 * reads are queued together when the worker takes them. {@code @@in_transaction} tells a shared
 * read (1) from one that ran alone (0).
 */
class MySqlPipelineIT extends MySqlTestBase implements PipelineContract {
    private static final String FLOATS = "pipe_float";
    private static final String TYPES = "pipe_types";
    private static final String N_TX = "SELECT ? AS n, @@in_transaction AS t";
    /** Sleeps 30 s for n = 3 only; its column name finds it in the process list. */
    private static final String SLEEPY = "SELECT ? AS sleepy_n, SLEEP(CASE WHEN ? = 3 THEN 30 ELSE 0 END) AS z";

    private static final String SLEEPING = " FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query'"
            + " AND INFO LIKE '%sleepy\\_n%' AND ID <> CONNECTION_ID()";

    @Override
    void createTables() {
        await(db.execute("CREATE TABLE " + FLOATS + " (id int PRIMARY KEY, f float, d double)"));
        await(db.execute("INSERT INTO " + FLOATS + " VALUES (1, 16777217, 0.1), (2, 1.0/3, 1.0/3)"));
        await(db.execute("CREATE TABLE " + TYPES + " (id int PRIMARY KEY, ti tinyint, si smallint, mi mediumint,"
                + " bi bigint, ub bigint unsigned, de decimal(30,9), db double, b1 tinyint(1), bt bit(9),"
                + " ch char(4), vc varchar(64), tx text, vb varbinary(16), bl blob, dt date, tm time(6),"
                + " dtm datetime(6), ts timestamp(6) NULL, yr year, js json, en enum('a','b'), st set('x','y'),"
                + " nu int) DEFAULT CHARSET=utf8mb4"));
        await(db.execute("INSERT INTO " + TYPES + " VALUES (1, -128, -32768, -8388608, -9223372036854775808,"
                + " 18446744073709551615, -123456789012345678901.123456789, -1.7976931348623157e308, 1, b'101010101',"
                + " 'ab', '琪露诺 ⑨ 🐸', 'text\\n\\'q\\'', x'00ff10', x'deadbeef', '2024-02-29', '-838:59:58.999999',"
                + " '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.123456', 2155, '{\"k\": [1, 2.5, null]}',"
                + " 'b', 'x,y', NULL), (2, 0, 0, 0, 0, 0, 0, 4.9e-324, 0, b'0', '', '', '', x'', x'', '1000-01-01',"
                + " '00:00:00', '1000-01-01 00:00:00', '1970-01-01 00:00:01', 1901, '[]', 'a', '', NULL)"));
    }

    @Override
    void dropTables() {
        await(db.execute("DROP TABLE IF EXISTS " + FLOATS));
        await(db.execute("DROP TABLE IF EXISTS " + TYPES));
    }

    private static MySqlDatabase one(int pipelineLimit) {
        return MySql.connect(
                options().toBuilder().poolSize(1).pipelineLimit(pipelineLimit).build());
    }

    @Override
    public Database openOne(int pipelineLimit) {
        return one(pipelineLimit);
    }

    @Override
    public CompletableFuture<Integer> sleepy(Database via, int n) {
        return via.fetchValue(SLEEPY, Integer.class, n, n);
    }

    @Override
    public long sleeping() {
        return await(db.fetchValue("SELECT count(*)" + SLEEPING, Long.class));
    }

    @Override
    public void killSleeping() {
        long id = await(db.fetchValue("SELECT ID" + SLEEPING, Long.class));
        await(db.execute("KILL CONNECTION " + id));
    }

    @Override
    public String failingSql() {
        return "SELECT (SELECT 1 UNION SELECT ?) AS v";
    }

    @Override
    public Object failingArg(boolean fail) {
        return fail ? 2 : 1;
    }

    @Override
    public void checkFailure(QueryException e) {
        // Subquery returns more than 1 row
        assertThat(e.vendorCode()).isEqualTo(1242);
        assertThat(e.getMessage()).doesNotContain("START TRANSACTION");
    }

    /** The read-only transaction of the failed round trip was rolled back. */
    @Override
    public void checkNothingLeftOpen(Database one) {
        assertThat(inTransaction((MySqlDatabase) one)).isZero();
    }

    /** A session status counter of the only connection, read in a callback. */
    private static long sessionStatus(MySqlDatabase one, String name) {
        return await(one.withConnection(s -> s.fetchValue(
                "SELECT CAST(VARIABLE_VALUE AS UNSIGNED) FROM information_schema.SESSION_STATUS"
                        + " WHERE VARIABLE_NAME = ?",
                Long.class,
                name)));
    }

    /** {@code @@in_transaction} of the only connection, read in a callback. */
    private static long inTransaction(MySqlDatabase one) {
        Long t = await(one.withConnection(s -> s.fetchValue("SELECT @@in_transaction", Long.class)));
        return t;
    }

    @Test
    void queuedReadsShareReadOnlyTransactionsOfSixteenAndMultiStatementsAreOffBeforeAnythingElseRuns() {
        try (MySqlDatabase one = one(16)) {
            Row alone = await(one.fetchRow(N_TX, -1)).orElseThrow();
            assertThat(alone.get("t", Long.class)).isZero();
            long begins = sessionStatus(one, "COM_BEGIN");
            long setOptions = sessionStatus(one, "COM_SET_OPTION");
            List<CompletableFuture<Optional<Row>>> reads =
                    PipelineContract.together(one, 40, i -> one.fetchRow(N_TX, i));
            for (int i = 0; i < 40; i++) {
                Row row = await(reads.get(i)).orElseThrow();
                assertThat(row.get("n", Integer.class)).isEqualTo(i);
                assertThat(row.get("t", Long.class))
                        .as("read %d shared a transaction", i)
                        .isEqualTo(1L);
            }
            // 16 + 16 + 8 reads: three read-only transactions, and multi-statements turned on once
            // and off again before this callback ran
            assertThat(sessionStatus(one, "COM_BEGIN") - begins).isEqualTo(3);
            assertThat(sessionStatus(one, "COM_SET_OPTION") - setOptions).isEqualTo(2);
            assertThat(inTransaction(one)).isZero();
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void yourStatementsNeverRunWithMultiStatementsOnUnlessYouAllowedThem() {
        for (boolean allowed : new boolean[] {false, true}) {
            MySqlOptions.Builder b = options().toBuilder().poolSize(1);
            if (allowed) {
                b.driverProperty("allowMultiQueries", "true");
            }
            try (MySqlDatabase one = MySql.connect(b.build())) {
                await(one.fetchRow(N_TX, -1));
                List<CompletableFuture<Optional<Row>>> reads =
                        PipelineContract.together(one, 8, i -> one.fetchRow(N_TX, i));
                for (CompletableFuture<Optional<Row>> read : reads) {
                    assertThat(await(read).orElseThrow().get("t", Long.class)).isEqualTo(1L);
                }
                // two statements in one text of yours, on the connection that just shared reads
                CompletableFuture<Long> two =
                        one.withConnection(s -> s.execute("DO 1; DO 2").rowCount());
                if (allowed) {
                    assertThat(two).succeedsWithin(WAIT);
                } else {
                    assertThat(two)
                            .failsWithin(WAIT)
                            .withThrowableThat()
                            .havingCause()
                            .isInstanceOfSatisfying(
                                    QueryException.class,
                                    e -> assertThat(e.vendorCode()).isEqualTo(1064));
                }
                PipelineContract.idleAndClose(one);
            }
        }
    }

    @Test
    void pipelineLimitOneSendsEveryReadAlone() {
        try (MySqlDatabase one = one(1)) {
            await(one.fetchRow(N_TX, -1));
            List<CompletableFuture<Optional<Row>>> reads =
                    PipelineContract.together(one, 10, i -> one.fetchRow(N_TX, i));
            for (int i = 0; i < 10; i++) {
                assertThat(await(reads.get(i)).orElseThrow().get("t", Long.class))
                        .isZero();
            }
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void aStatementIsSharedOnlyAfterItRanAloneAndNeverWhenItReturnsFloatColumns() {
        try (MySqlDatabase one = one(16)) {
            // never run yet: the first read runs alone and vets the columns, the others share
            String fresh = "SELECT ? + 0 AS n, @@in_transaction AS t";
            List<CompletableFuture<Optional<Row>>> first =
                    PipelineContract.together(one, 6, i -> one.fetchRow(fresh, i));
            for (int i = 0; i < 6; i++) {
                Row row = await(first.get(i)).orElseThrow();
                assertThat(row.get("n", Long.class)).isEqualTo(i);
                assertThat(row.get("t", Long.class)).isEqualTo(i == 0 ? 0L : 1L);
            }
            // FLOAT reads through the text protocol with six digits: always alone, exact
            String floats = "SELECT f, d, @@in_transaction AS t FROM " + FLOATS + " WHERE id = ?";
            await(one.fetchRow(floats, 1));
            List<CompletableFuture<Optional<Row>>> reads =
                    PipelineContract.together(one, 6, i -> one.fetchRow(floats, 1 + i % 2));
            for (int i = 0; i < 6; i++) {
                Row row = await(reads.get(i)).orElseThrow();
                assertThat(row.get("t", Long.class)).isZero();
                assertThat(row.get("f")).isEqualTo(i % 2 == 0 ? 1.6777216E7f : 0.33333334f);
                assertThat(row.get("d")).isEqualTo(i % 2 == 0 ? 0.1 : 0.333333333);
            }
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void sharedReadsReturnTheSameValuesAsReadsAloneForEveryType() {
        String sql = "SELECT t.*, @@in_transaction AS shared FROM " + TYPES + " t WHERE id = ?";
        try (MySqlDatabase one = one(16)) {
            List<List<Object>> alone = new ArrayList<>();
            for (int id = 1; id <= 2; id++) {
                alone.add(comparable(await(one.fetchRow(sql, id)).orElseThrow()));
            }
            assertThat(alone.getFirst().getLast()).isEqualTo(0L);
            List<CompletableFuture<Optional<Row>>> reads =
                    PipelineContract.together(one, 8, i -> one.fetchRow(sql, 1 + i % 2));
            for (int i = 0; i < 8; i++) {
                List<Object> shared = comparable(await(reads.get(i)).orElseThrow());
                assertThat(shared.getLast()).as("read %d shared", i).isEqualTo(1L);
                // all but the shared column (value, class) and its copy at the end
                assertThat(shared.subList(0, shared.size() - 3))
                        .as("read %d", i)
                        .isEqualTo(alone.get(i % 2).subList(0, shared.size() - 3));
            }
            PipelineContract.idleAndClose(one);
        }
    }

    @Test
    void timeValuesReadExactlyAloneAndSharedIntervalsAsTextTimesOfDayAsLocalTime() {
        String sql = "SELECT CAST('-25:00:01' AS TIME) AS a, CAST('-00:30:00.5' AS TIME(6)) AS b,"
                + " CAST('838:59:59' AS TIME) AS c, CAST('-838:59:59' AS TIME) AS d,"
                + " CAST('12:34:56.789' AS TIME(3)) AS e, CAST('00:00:00' AS TIME) AS f,"
                + " CAST('100:00:00.25' AS TIME(2)) AS g, CAST(NULL AS TIME) AS h, ? AS n, @@in_transaction AS t";
        List<Object> expected = java.util.Arrays.asList(
                "-25:00:01",
                "-00:30:00.500000",
                "838:59:59",
                "-838:59:59",
                LocalTime.of(12, 34, 56, 789_000_000),
                LocalTime.MIDNIGHT,
                "100:00:00.25",
                null);
        try (MySqlDatabase one = one(16)) {
            Row alone = await(one.fetchRow(sql, -1)).orElseThrow();
            assertThat(alone.values().subList(0, 8)).isEqualTo(expected);
            assertThat(alone.get("t", Long.class)).isZero();
            List<CompletableFuture<Optional<Row>>> reads = PipelineContract.together(one, 4, i -> one.fetchRow(sql, i));
            for (CompletableFuture<Optional<Row>> read : reads) {
                Row shared = await(read).orElseThrow();
                assertThat(shared.values().subList(0, 8)).isEqualTo(expected);
                assertThat(shared.get("t", Long.class)).isEqualTo(1L);
            }
            PipelineContract.idleAndClose(one);
        }
    }

    /** A row's values with byte arrays as hex, so lists compare by content; each value's class kept. */
    private static List<Object> comparable(Row row) {
        List<Object> out = new ArrayList<>();
        for (Object v : row.values()) {
            out.add(v instanceof byte[] b ? "bytes:" + java.util.HexFormat.of().formatHex(b) : v);
            out.add(v == null ? null : v.getClass());
        }
        out.add(row.get("shared", Long.class));
        return out;
    }

    @Test
    void statementsWithASemicolonEvenInALiteralOrACommentAreNeverShared() {
        try (MySqlDatabase one = one(16)) {
            String semicolon = "SELECT ? AS n, ';' AS s, @@in_transaction AS t";
            String comment = "SELECT ? AS n /* c */, @@in_transaction AS t";
            await(one.fetchRow(semicolon, -1));
            await(one.fetchRow(comment, -1));
            List<CompletableFuture<Optional<Row>>> a =
                    PipelineContract.together(one, 5, i -> one.fetchRow(semicolon, i));
            List<CompletableFuture<Optional<Row>>> b = PipelineContract.together(one, 5, i -> one.fetchRow(comment, i));
            for (int i = 0; i < 5; i++) {
                Row ra = await(a.get(i)).orElseThrow();
                assertThat(ra.get("s")).isEqualTo(";");
                assertThat(ra.get("t", Long.class)).isZero();
                assertThat(await(b.get(i)).orElseThrow().get("t", Long.class)).isZero();
            }
            PipelineContract.idleAndClose(one);
        }
    }
}
