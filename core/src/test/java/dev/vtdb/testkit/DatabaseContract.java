package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.BatchResult;
import dev.vtdb.ConstraintViolationException;
import dev.vtdb.Database;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.ExecResult;
import dev.vtdb.PoolExhaustedException;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.Scope;
import dev.vtdb.Session;
import dev.vtdb.Transaction;
import dev.vtdb.TxOptions;
import dev.vtdb.VtdbException;
import dev.vtdb.sql.Condition;
import dev.vtdb.sql.Select;
import dev.vtdb.sql.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviour every SQL module must have, run against a real server by each module's subclass (as
 * Vert.x SQL client's {@code *TestBase} classes are). Each subclass works in its own table and
 * drops it afterwards; after every test the pool must be idle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The database under test, opened once per class with a pool of 4. */
    protected Database db;

    /** The table this class works in. */
    protected String table;

    /**
     * Opens the database under test, with a close timeout of 1 second.
     *
     * @param poolSize number of connections
     * @param queueBound admission bound
     * @return the database
     */
    protected Database open(int poolSize, int queueBound) {
        return open(poolSize, queueBound, Duration.ofSeconds(30));
    }

    /**
     * Opens a database with the given pool and default command timeout.
     *
     * @param poolSize number of connections
     * @param queueBound most calls that may wait
     * @param commandTimeout each call's deadline unless shortened
     * @return the database
     */
    protected abstract Database open(int poolSize, int queueBound, Duration commandTimeout);

    /**
     * Returns DDL creating the contract table: {@code id} auto-generated primary key, {@code name}
     * varchar(64) unique not null, {@code age} int, {@code place} varchar(64).
     *
     * @param table the table name
     * @return the DDL
     */
    protected abstract String createTableSql(String table);

    /**
     * Returns a query that sleeps on the server.
     *
     * @param seconds how long
     * @return the SQL
     */
    protected abstract String sleepSql(int seconds);

    /**
     * Counts statements running on the server whose text contains a marker (excluding the
     * counting query itself).
     *
     * @param marker text to look for
     * @return the count
     */
    protected abstract long runningStatementsContaining(String marker);

    /**
     * Returns the SQL state (or vendor code as text) the server reports for a syntax error.
     *
     * @return e.g. {@code 42601} for PostgreSQL
     */
    protected abstract String syntaxErrorState();

    /**
     * Returns an SQL expression that turns one bytes parameter into text, checking that the bytes
     * are UTF-8 (as a text column's insert would).
     *
     * @return e.g. PostgreSQL's {@code convert_from(?, 'UTF8')}
     */
    protected abstract String textFromUtf8BytesSql();

    /**
     * Returns the SQL state or vendor code (as in {@code sqlState/vendorCode}) the server reports for
     * bytes that are not valid UTF-8.
     *
     * @return e.g. {@code 22021} for PostgreSQL
     */
    protected abstract String invalidUtf8State();

    /**
     * Tells whether the server refuses a UTF-16 surrogate encoded in three bytes ({@code ED A0 80},
     * CESU-8), which UTF-8 forbids. PostgreSQL does; MariaDB 10.11 stores it as is.
     *
     * @return {@code true} when such bytes are refused like other invalid UTF-8
     */
    protected boolean refusesEncodedSurrogates() {
        return true;
    }

    @BeforeAll
    void openDatabase() {
        db = open(4, 64);
        // one table per JVM: two builds sharing a server (CI beside a developer's run) never touch
        // each other's rows
        table = "vtdb_contract_" + getClass().getSimpleName().toLowerCase() + "_"
                + ProcessHandle.current().pid();
        await(db.execute("DROP TABLE IF EXISTS " + table));
        await(db.execute(createTableSql(table)));
    }

    @BeforeEach
    void cleanTable() {
        await(db.execute("DELETE FROM " + table));
    }

    @AfterEach
    void poolIsIdle() {
        assertThat(db.awaitIdle(WAIT))
                .as("pool idle after test: %s", db.stats())
                .isTrue();
        assertThat(db.stats().active()).isZero();
        assertThat(db.stats().waiting()).isZero();
    }

    @AfterAll
    void dropAndClose() {
        if (db != null) {
            await(db.execute("DROP TABLE IF EXISTS " + table));
            db.close();
        }
    }

    /**
     * Waits for a future with the suite's bound.
     *
     * @param f the future
     * @param <T> result type
     * @return its value
     */
    protected static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("future did not complete within " + WAIT + ": " + e, e);
        }
    }

    private static Throwable catchCause(CompletableFuture<?> f) {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not fail within " + WAIT + ": " + e, e);
        }
        throw new AssertionError("the call succeeded; expected it to fail");
    }

    private void insertGirls() {
        await(db.execute("INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)", "十六夜咲夜", 17, "红魔馆"));
        await(db.execute("INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)", "琪露诺", 60, "雾之湖"));
    }

    @Test
    void fetchReturnsRowsWithDictLikeAccess() {
        insertGirls();
        List<Row> rows = await(db.fetch("SELECT id, name, age, place FROM " + table + " ORDER BY id"));
        assertThat(rows).hasSize(2);
        Row first = rows.getFirst();
        assertThat(first.keys()).containsExactly("id", "name", "age", "place");
        assertThat(first.get("name")).isEqualTo("十六夜咲夜");
        assertThat(first.getInt("age")).isEqualTo(17);
        assertThat(first.get("xxx", "不存在的字段")).isEqualTo("不存在的字段");
        assertThat(first.toMap()).containsEntry("place", "红魔馆");
        assertThatThrownBy(() -> first.get("xxx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xxx")
                .hasMessageContaining("[id, name, age, place]");
        assertThat(first.toString()).startsWith("<Record id=").contains("name='十六夜咲夜'");
    }

    /** A record for Jdbi mapping tests. */
    public record Girl(long id, String name, Integer age) {}

    @Test
    void fetchAsMapsRowsThroughJdbi() {
        insertGirls();
        List<Girl> girls = await(db.fetchAs(Girl.class, "SELECT id, name, age FROM " + table + " ORDER BY age"));
        assertThat(girls).extracting(Girl::name).containsExactly("十六夜咲夜", "琪露诺");
        assertThat(girls).extracting(Girl::age).containsExactly(17, 60);
        List<String> names = await(db.fetchAs(String.class, "SELECT name FROM " + table + " WHERE age > ?", 18));
        assertThat(names).containsExactly("琪露诺");
    }

    @Test
    void fetchAsLeavesTheConnectionOpenForWhatFollows() {
        insertGirls();
        Database one = open(1, 8);
        try {
            // Jdbi closes what its connection factory gave it; the worker's connection must survive
            Long count = await(one.withConnection(s -> {
                assertThat(s.fetchAs(String.class, "SELECT name FROM " + table)).hasSize(2);
                return s.fetchValue("SELECT count(*) FROM " + table, Long.class);
            }));
            assertThat(count).isEqualTo(2L);
            assertThat(await(one.fetchAs(String.class, "SELECT name FROM " + table)))
                    .hasSize(2);
            // the single worker, its connection still the same one
            assertThat(await(one.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                    .isEqualTo(2L);
        } finally {
            one.close();
        }
    }

    @Test
    void fetchRowReturnsFirstOrEmpty() {
        insertGirls();
        Optional<Row> row = await(db.fetchRow("SELECT name FROM " + table + " WHERE age > ? ORDER BY age", 18));
        assertThat(row).map(r -> r.get("name")).contains("琪露诺");
        assertThat(await(db.fetchRow("SELECT name FROM " + table + " WHERE age > ?", 1000)))
                .isEmpty();
    }

    @Test
    void fetchValueReturnsFirstColumn() {
        insertGirls();
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .isEqualTo(2L);
        assertThat(await(db.fetchValue("SELECT name FROM " + table + " WHERE age = ?", String.class, 999)))
                .isNull();
    }

    @Test
    void duplicateLabelsStayReachableByIndex() {
        Row row = await(db.fetchRow("SELECT 1 AS a, 2 AS a")).orElseThrow();
        assertThat(row.keys()).containsExactly("a", "a");
        assertThat(row.get("a", Integer.class)).isEqualTo(1);
        assertThat(row.get(1, Integer.class)).isEqualTo(2);
    }

    @Test
    void executeReportsRowCountAndStatus() {
        insertGirls();
        ExecResult r = await(db.execute("UPDATE " + table + " SET age = age + 1 WHERE age < ?", 100));
        assertThat(r.rowCount()).isEqualTo(2);
        assertThat(r.status()).isEqualTo("UPDATE 2");
        ExecResult d = await(db.execute("DELETE FROM " + table + " WHERE name = ?", "nobody"));
        assertThat(d.rowCount()).isZero();
        assertThat(d.status()).isEqualTo("DELETE 0");
    }

    @Test
    void namedParametersBindByName() {
        insertGirls();
        List<Row> rows = await(db.fetch(
                "SELECT name FROM " + table + " WHERE age > :min AND age < :max ORDER BY age",
                Map.of("min", 10, "max", 100)));
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("十六夜咲夜", "琪露诺");
    }

    @Test
    void wrongArgumentCountIsRejectedBeforeSending() {
        assertThat(db.fetch("SELECT * FROM " + table + " WHERE age = ? AND name = ?", 1))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(VtdbException.class)
                .withMessageContaining("expects 2 arguments but 1 was given");
    }

    @Test
    void executeManyIsAllOrNothing() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(List.of("girl-" + i, i, "place"));
        }
        BatchResult ok = await(db.executeMany("INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)", rows));
        assertThat(ok.size()).isEqualTo(50);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .isEqualTo(50L);

        List<List<?>> clash = List.of(List.of("new-1", 1, "x"), List.of("girl-3", 2, "x"), List.of("new-2", 3, "x"));
        assertThat(db.executeMany("INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)", clash))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ConstraintViolationException.class);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .isEqualTo(50L);
        assertThat(await(db.fetch("SELECT id FROM " + table + " WHERE name LIKE 'new-%'")))
                .isEmpty();
    }

    @Test
    void syntaxErrorIsQueryExceptionWithSqlState() {
        assertThat(db.fetch("SELEC name FROM " + table))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState() + "/" + e.vendorCode()).contains(syntaxErrorState());
                    assertThat(e.getMessage()).contains("SQLSTATE").contains("SELEC");
                });
        // the connection is still good
        assertThat(await(db.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
    }

    @Test
    void badInputGetsAClearErrorAndWritesNothing() {
        insertGirls();
        String insert = "INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)";
        // a value far too long for varchar(64)
        assertThat(db.execute(insert, "x".repeat(1_000_000), 1, "p"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(QueryException.class);
        // text where an int belongs
        assertThat(db.execute(insert, "typed", "not a number", "p"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(QueryException.class);
        // a NUL byte: either refused with a clear error or stored exactly, never truncated
        CompletableFuture<ExecResult> nul = db.execute(insert, "nul\0byte", 2, "p");
        Throwable nulFailure = nul.handle((r, e) -> e).join();
        long nulRows;
        if (nulFailure == null) {
            assertThat(await(db.fetchValue("SELECT name FROM " + table + " WHERE age = 2", String.class)))
                    .isEqualTo("nul\0byte");
            nulRows = 1;
        } else {
            assertThat(
                            nulFailure instanceof java.util.concurrent.CompletionException
                                    ? nulFailure.getCause()
                                    : nulFailure)
                    .isInstanceOf(QueryException.class);
            nulRows = 0;
        }
        // an unknown table, reflected or queried: the same SQL state either way
        QueryException queried = (QueryException) catchCause(db.fetch("SELECT * FROM no_such_table_vtdb"));
        assertThat(db.table("no_such_table_vtdb"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(queried.sqlState());
                    assertThat(e.vendorCode()).isEqualTo(queried.vendorCode());
                })
                .withMessageContaining("no_such_table_vtdb");
        // the SQL injection attempt is only a value
        String evil = "x'); DROP TABLE " + table + "; --";
        assertThat(db.execute(insert, evil, 1, "p")).succeedsWithin(WAIT);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .isEqualTo(3L + nulRows);
        assertThat(await(db.fetchValue("SELECT name FROM " + table + " WHERE age = 1", String.class)))
                .isEqualTo(evil);
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedBeforeSendingAndNothingIsWritten() {
        String insert = "INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)";
        // an unpaired high surrogate in the middle: the drivers would send '?' for it
        assertThat(db.execute(insert, "ok", 1, "secret\uD800value"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22021");
                    assertThat(e.getMessage())
                            .contains("refused parameter 3")
                            .contains("not valid Unicode")
                            .contains("unpaired surrogate U+D800 at index 6")
                            .contains("nothing was sent")
                            .contains("VALUES (?, ?, ?)")
                            .doesNotContain("secret");
                    assertThat(e.getCause()).isNull();
                });
        // a lone low surrogate, a high surrogate cut off at the end, a lone surrogate Character
        assertRefused(db.execute(insert, "\uDC00lone", 2, "p"), "parameter 1", "U+DC00 at index 0");
        assertRefused(db.execute(insert, "cut", 3, "end\uD83D"), "parameter 3", "U+D83D at index 3");
        assertRefused(db.execute(insert, "char", 4, '\uD800'), "parameter 3", "U+D800 (a Character)");
        // named parameters, a WHERE clause, the builders
        assertRefused(
                db.execute(
                        "INSERT INTO " + table + " (name, age, place) VALUES (:name, :age, :place)",
                        Map.of("name", "named\uDFFF", "age", 5, "place", "p")),
                "parameter :name",
                "U+DFFF at index 5");
        assertRefused(
                db.fetch("SELECT id FROM " + table + " WHERE name = ?", "\uD800"), "parameter 1", "U+D800 at index 0");
        Table t = await(db.table(table));
        assertRefused(
                db.execute(t.insert().values(Map.of("name", "built\uD800", "age", 6))),
                "parameter",
                "U+D800 at index 5");
        // executeMany: one bad row refuses the whole batch before anything is sent
        List<List<?>> rows =
                List.of(List.of("batch-1", 7, "p"), List.of("batch-2", 8, "bad\uDBFF"), List.of("batch-3", 9, "p"));
        assertRefused(db.executeMany(insert, rows), "row 2, parameter 3", "U+DBFF at index 3");
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .as("nothing written")
                .isZero();
        // a surrogate pair is valid Unicode: stored and read back exactly
        String moon = "moon \uD83C\uDF19"; // 🌙
        assertThat(await(db.execute(insert, moon, 10, "p")).rowCount()).isEqualTo(1);
        assertThat(await(db.fetchValue("SELECT name FROM " + table + " WHERE age = 10", String.class)))
                .isEqualTo(moon);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .isEqualTo(1L);
        assertThat(db.awaitIdle(WAIT)).isTrue();
        assertThat(db.stats().active()).isZero();
    }

    private static void assertRefused(CompletableFuture<?> call, String parameter, String problem) {
        assertThat(call)
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22021");
                    assertThat(e.getMessage())
                            .contains("refused " + parameter)
                            .contains("not valid Unicode (an unpaired surrogate " + problem + ")");
                });
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedByTheServerAndNothingIsWritten() {
        String insert = "INSERT INTO " + table + " (name, age, place) VALUES (" + textFromUtf8BytesSql() + ", ?, ?)";
        // the expression works for valid UTF-8
        byte[] valid = "琪露诺".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(await(db.execute(insert, valid, 1, "p")).rowCount()).isEqualTo(1);
        assertThat(await(db.fetchValue("SELECT name FROM " + table + " WHERE age = 1", String.class)))
                .isEqualTo("琪露诺");
        List<byte[]> invalid = new ArrayList<>(List.of(
                new byte[] {(byte) 0xC3, (byte) 0x28}, // a two-byte lead followed by an ASCII byte
                new byte[] {(byte) 0x61, (byte) 0xFF}, // 0xFF never appears in UTF-8
                new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x8C})); // a four-byte sequence cut short
        if (refusesEncodedSurrogates()) {
            invalid.add(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // U+D800 encoded (CESU-8)
        }
        for (byte[] bytes : invalid) {
            assertThat(db.execute(insert, bytes, 2, "p"))
                    .as(java.util.HexFormat.of().formatHex(bytes))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            QueryException.class,
                            e -> assertThat(e.sqlState() + "/" + e.vendorCode()).contains(invalidUtf8State()));
        }
        List<List<?>> rows = List.of(List.of(valid, 3, "p"), List.of(invalid.getFirst(), 4, "p"));
        assertThat(db.executeMany(insert, rows))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(QueryException.class);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + table, Long.class)))
                .as("only the valid row")
                .isEqualTo(1L);
        assertThat(await(db.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
    }

    @Test
    void uniqueViolationIsConstraintViolation() {
        insertGirls();
        assertThat(db.execute("INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)", "琪露诺", 1, "x"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ConstraintViolationException.class);
    }

    @Test
    void transactionCommitsOnReturnAndRollsBackOnException() {
        await(db.inTransaction(s -> s.execute("INSERT INTO " + table + " (name, age) VALUES (?, ?)", "kept", 1)));
        CompletableFuture<Object> failed = db.inTransaction(s -> {
            s.execute("INSERT INTO " + table + " (name, age) VALUES (?, ?)", "lost", 2);
            throw new IllegalStateException("boom");
        });
        assertThat(failed)
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalStateException.class);
        assertThat(await(db.fetch("SELECT name FROM " + table)))
                .extracting(r -> r.get("name"))
                .containsExactly("kept");
    }

    @Test
    void explicitBeginRollsBackUnlessCommitted() {
        await(db.withConnection(s -> {
            try (Transaction tx = s.begin()) {
                s.execute("INSERT INTO " + table + " (name) VALUES (?)", "uncommitted");
                assertThat(s.inTransaction()).as("inside %s", tx).isTrue();
            }
            try (Transaction tx = s.begin()) {
                s.execute("INSERT INTO " + table + " (name) VALUES (?)", "committed");
                tx.commit();
            }
            return null;
        }));
        assertThat(await(db.fetch("SELECT name FROM " + table)))
                .extracting(r -> r.get("name"))
                .containsExactly("committed");
    }

    @Test
    void aTransactionTheCallbacksOwnSqlLeftOpenIsRolledBackAndTheNextCallCommits() {
        try (Database one = open(1, 8)) {
            await(one.withConnection(s -> {
                s.execute("BEGIN");
                s.execute("INSERT INTO " + table + " (name) VALUES (?)", "left open");
                return null;
            }));
            // the same (only) connection: its next call must not run inside that transaction
            assertThat(await(one.execute("INSERT INTO " + table + " (name) VALUES (?)", "next call"))
                            .rowCount())
                    .isOne();
            assertThat(await(db.fetch("SELECT name FROM " + table)))
                    .as("seen from another connection")
                    .extracting(r -> r.get("name"))
                    .containsExactly("next call");
            assertThat(one.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void aSessionUsedAfterItsCallbackReturnedIsRefusedAndChangesNothing() {
        Session leaked = await(db.withConnection(s -> s));
        assertThatThrownBy(() -> leaked.execute("INSERT INTO " + table + " (name) VALUES (?)", "leaked"))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("callback that has returned");
        assertThatThrownBy(leaked::begin).isInstanceOf(VtdbException.class);
        assertThatThrownBy(() -> leaked.fetch("SELECT 1")).isInstanceOf(VtdbException.class);
        assertThat(await(db.fetch("SELECT name FROM " + table))).isEmpty();
    }

    @Test
    void aSessionPassedToAnotherThreadIsRefused() {
        String message = await(db.withConnection(s -> {
            CompletableFuture<String> other = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    s.execute("INSERT INTO " + table + " (name) VALUES (?)", "other thread");
                    other.complete("ran");
                } catch (VtdbException e) {
                    other.complete(e.getMessage());
                }
            });
            return other.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }));
        assertThat(message).contains("another thread");
        assertThat(await(db.fetch("SELECT name FROM " + table))).isEmpty();
    }

    @Test
    void executeOfASelectIsAResultProxyWithFetchOneManyAll() {
        insertGirls();
        await(db.execute("INSERT INTO " + table + " (name, age, place) VALUES (?, ?, ?)", "古明地觉", 16, "地灵殿"));
        List<String> seen = await(db.withConnection(s -> {
            ExecResult result = s.execute("SELECT name, age FROM " + table + " ORDER BY age");
            assertThat(result.returnsRows()).isTrue();
            assertThat(result.rowCount()).isEqualTo(3);
            assertThat(result.keys()).containsExactly("name", "age");
            List<String> names = new ArrayList<>();
            names.add(result.fetchOne().orElseThrow().getString("name"));
            result.fetchMany(1).forEach(r -> names.add(r.getString("name")));
            result.fetchAll().forEach(r -> names.add(r.getString("name")));
            assertThat(result.fetchOne()).isEmpty();
            assertThat(result.fetchAll()).isEmpty();
            return names;
        }));
        assertThat(seen).containsExactly("古明地觉", "十六夜咲夜", "琪露诺");
        ExecResult insert = await(db.execute("INSERT INTO " + table + " (name) VALUES (?)", "no rows"));
        assertThat(insert.returnsRows()).isFalse();
        assertThat(insert.fetchOne()).isEmpty();
        assertThat(insert.keys()).isEmpty();
    }

    @Test
    void nestedTransactionUsesSavepoint() {
        await(db.inTransaction(s -> {
            s.execute("INSERT INTO " + table + " (name) VALUES (?)", "outer");
            assertThatThrownBy(() -> s.inTransaction(inner -> {
                        inner.execute("INSERT INTO " + table + " (name) VALUES (?)", "inner");
                        throw new IllegalStateException("inner fails");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            return null;
        }));
        assertThat(await(db.fetch("SELECT name FROM " + table)))
                .extracting(r -> r.get("name"))
                .containsExactly("outer");
    }

    @Test
    void callsChainedFromCompletionCallbacksAllRunInOrder() {
        await(db.execute("INSERT INTO " + table + " (name, age) VALUES (?, ?)", "chain", 0));
        // from the second link on, each call is made by a completion callback running on a worker,
        // which keeps the call and runs it next
        CompletableFuture<Long> chain = CompletableFuture.completedFuture(0L);
        for (int i = 0; i < 200; i++) {
            chain = chain.thenCompose(n -> db.execute("UPDATE " + table + " SET age = age + 1 WHERE name = ?", "chain")
                    .thenCompose(
                            r -> db.fetchValue("SELECT age FROM " + table + " WHERE name = ?", Long.class, "chain"))
                    .thenApply(age -> {
                        assertThat(age).isEqualTo(n + 1);
                        return age;
                    }));
        }
        assertThat(await(chain)).isEqualTo(200L);
    }

    @Test
    void completionCallbackWaitingForItsOwnCallIsNotStuck() {
        Database two = open(2, 8);
        try {
            // the callback runs on a worker and blocks on a call it made: the worker cannot run that
            // call itself, so another worker must
            CompletableFuture<Long> f = two.fetchValue("SELECT count(*) FROM " + table, Long.class)
                    .thenApply(n -> two.fetchValue("SELECT count(*) FROM " + table + " WHERE name IS NULL", Long.class)
                            .join());
            assertThat(await(f)).isZero();
            assertThat(two.awaitIdle(WAIT)).isTrue();
            assertThat(two.stats().waiting()).isZero();
        } finally {
            two.close();
        }
    }

    @Test
    void nestedCallFromCallbackJoinsTheConnectionInsteadOfDeadlocking() {
        Database one = open(1, 8);
        try {
            Long n = await(one.inTransaction(s -> {
                s.execute("INSERT INTO " + table + " (name) VALUES (?)", "nested");
                // same database, called from inside the callback: joins this connection and transaction
                return one.fetchValue("SELECT count(*) FROM " + table + " WHERE name = ?", Long.class, "nested")
                        .join();
            }));
            assertThat(n).isEqualTo(1L);
        } finally {
            one.close();
        }
    }

    @Test
    void forkInsideTransactionCannotShareItsConnection() {
        assertThat(db.inTransaction(s -> {
                    try (Scope scope = Scope.open(Duration.ofSeconds(5))) {
                        CompletableFuture<List<Row>> f =
                                scope.fork(() -> db.fetch("SELECT 1").join());
                        scope.join();
                        return f.join();
                    }
                }))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(VtdbException.class)
                .withMessageContaining("cannot be used concurrently");
    }

    @Test
    void defaultCommandTimeoutEndsRunningAndQueuedCalls() {
        Database one = open(1, 8, Duration.ofMillis(400));
        try {
            String marker = "vtdb_default_deadline_" + System.nanoTime();
            CompletableFuture<List<Row>> running = one.fetch(sleepSql(20) + " /* " + marker + " */");
            CompletableFuture<Integer> queued = one.fetchValue("SELECT 1", Integer.class);
            assertThat(running)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class)
                    .withMessageContaining("timeout 400ms");
            assertThat(queued)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class)
                    .withMessageContaining("while queued");
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(runningStatementsContaining(marker)).isZero();
            assertThat(await(one.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
        } finally {
            one.close();
        }
    }

    @Test
    void deadlineCancelsTheStatementOnTheServerAndKeepsTheConnection() {
        String marker = "vtdb_deadline_" + System.nanoTime();
        CompletableFuture<List<Row>> f =
                db.withTimeout(Duration.ofMillis(300)).fetch(sleepSql(20) + " /* " + marker + " */");
        assertThat(f)
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(DeadlineExceededException.class)
                .withMessageContaining("elapsed")
                .withMessageContaining("timeout 300ms");
        assertThat(db.awaitIdle(WAIT)).isTrue();
        assertThat(runningStatementsContaining(marker)).isZero();
        assertThat(await(db.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
    }

    @Test
    void cancelStopsServerStatementAndRollsBack() {
        String marker = "vtdb_cancel_" + System.nanoTime();
        CountDownLatch inserted = new CountDownLatch(1);
        CompletableFuture<Object> f = db.inTransaction(s -> {
            s.execute("INSERT INTO " + table + " (name) VALUES (?)", "cancelled");
            inserted.countDown();
            return s.fetch(sleepSql(20) + " /* " + marker + " */");
        });
        assertThat(awaitLatch(inserted)).isTrue();
        assertThat(runningSoon(marker)).isTrue();
        assertThat(f.cancel(true)).isTrue();
        assertThat(f).isCancelled();
        assertThat(db.awaitIdle(WAIT)).isTrue();
        assertThat(runningStatementsContaining(marker)).isZero();
        assertThat(await(db.fetch("SELECT name FROM " + table))).isEmpty();
        assertThat(await(db.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
    }

    private boolean runningSoon(String marker) {
        CompletableFuture<Boolean> seen = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            long end = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < end) {
                if (runningStatementsContaining(marker) > 0) {
                    seen.complete(true);
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            seen.complete(false);
        });
        return seen.join();
    }

    private static boolean awaitLatch(CountDownLatch latch) {
        return Outcome.awaitLatch(latch, WAIT);
    }

    @Test
    void cancelledQueuedCallNeverRuns() {
        Database one = open(1, 8);
        try {
            CompletableFuture<List<Row>> blocker = one.fetch(sleepSql(1));
            CompletableFuture<ExecResult> queued = one.execute("INSERT INTO " + table + " (name) VALUES (?)", "never");
            assertThat(queued.cancel(true)).isTrue();
            assertThat(blocker).succeedsWithin(WAIT);
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(await(db.fetch("SELECT name FROM " + table))).isEmpty();
        } finally {
            one.close();
        }
    }

    @Test
    void fullQueueFailsFastWithCounters() {
        Database tiny = open(1, 2);
        try {
            CountDownLatch running = new CountDownLatch(1);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            calls.add(tiny.withConnection(s -> {
                running.countDown();
                return s.fetch(sleepSql(1));
            }));
            assertThat(awaitLatch(running)).isTrue();
            calls.add(tiny.fetch("SELECT 1"));
            calls.add(tiny.fetch("SELECT 2"));
            // one running, two queued: the next call is refused at once
            CompletableFuture<List<Row>> refused = tiny.fetch("SELECT 3");
            assertThat(refused)
                    .failsWithin(Duration.ofMillis(100))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(PoolExhaustedException.class)
                    .withMessageContaining("active=1, waiting=2, workers=1, bound=2");
            calls.forEach(c -> assertThat(c).succeedsWithin(WAIT));
        } finally {
            tiny.close();
        }
    }

    @Test
    void scopeDeadlineAppliesToCallsInside() {
        try (Scope scope = Scope.open(Duration.ofMillis(300))) {
            CompletableFuture<List<Row>> slow =
                    scope.fork(() -> db.fetch(sleepSql(20)).join());
            assertThatThrownBy(scope::join).isInstanceOf(VtdbException.class);
            assertThat(slow).failsWithin(WAIT);
        }
        assertThat(db.awaitIdle(WAIT)).isTrue();
    }

    @Test
    void firstFailureInScopeCancelsSiblings() {
        String marker = "vtdb_scope_" + System.nanoTime();
        try (Scope scope = Scope.open(Duration.ofSeconds(30))) {
            CompletableFuture<List<Row>> slow = scope.fork(
                    () -> db.fetch(sleepSql(20) + " /* " + marker + " */").join());
            scope.fork(() -> db.fetch("SELEC broken").join());
            assertThatThrownBy(scope::join).isInstanceOf(QueryException.class);
            assertThat(slow).failsWithin(WAIT);
        }
        assertThat(db.awaitIdle(WAIT)).isTrue();
        assertThat(runningStatementsContaining(marker)).isZero();
    }

    @Test
    void streamReadsInBoundedChunks() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            rows.add(List.of("s" + i, i));
        }
        await(db.executeMany("INSERT INTO " + table + " (name, age) VALUES (?, ?)", rows));
        long sum = await(db.withConnection(s -> {
            try (Stream<Row> stream = s.stream("SELECT age FROM " + table)) {
                return stream.mapToLong(r -> r.getLong("age")).sum();
            }
        }));
        assertThat(sum).isEqualTo(2499L * 2500 / 2);
        List<Integer> sizes = await(db.withConnection(s -> {
            try (var cursor = s.cursor("SELECT age FROM " + table + " ORDER BY age")) {
                List<Integer> chunks = new ArrayList<>();
                List<Row> chunk;
                while (!(chunk = cursor.fetchMany(1000)).isEmpty()) {
                    chunks.add(chunk.size());
                }
                return chunks;
            }
        }));
        assertThat(sizes).containsExactly(1000, 1000, 500);
    }

    @Test
    void statementsRunWhileAStreamIsOpenOutsideATransactionAreKept() {
        insertGirls();
        long read = await(db.withConnection(s -> {
            long n = 0;
            try (Stream<Row> rows = s.stream("SELECT id FROM " + table + " ORDER BY id")) {
                for (Row r : (Iterable<Row>) rows::iterator) {
                    s.execute("UPDATE " + table + " SET age = age + 100 WHERE id = ?", r.get("id"));
                    n++;
                }
            }
            assertThat(s.inTransaction()).isFalse();
            return n;
        }));
        assertThat(read).isEqualTo(2);
        // autocommit statements, as outside a stream: another connection sees them
        assertThat(await(db.fetch("SELECT age FROM " + table + " ORDER BY id")))
                .extracting(r -> r.getInt("age"))
                .containsExactly(117, 160);
    }

    @Test
    void reflectedTableBuildsInsertUpdateDelete() {
        Table t = await(db.table(table));
        assertThat(t.columnNames()).containsExactly("id", "name", "age", "place");
        assertThat(t.primaryKey()).containsExactly("id");
        assertThat(t.autoIncrementColumn()).isPresent();

        ExecResult ins = await(db.execute(t.insert()
                .values(List.of(
                        Map.of("name", "十六夜咲夜", "age", 17, "place", "红魔馆"),
                        Map.of("name", "琪露诺", "age", 60, "place", "雾之湖")))));
        assertThat(ins.rowCount()).isEqualTo(2);
        long firstId = ins.lastInsertId().orElseThrow();
        assertThat(await(db.fetchValue("SELECT min(id) FROM " + table, Long.class)))
                .isEqualTo(firstId);

        assertThat(await(db.execute(t.update().set("age", 18).where(Condition.eq("name", "十六夜咲夜"))))
                        .rowCount())
                .isEqualTo(1);
        assertThat(await(db.execute(t.delete().where("id = ?", firstId))).rowCount())
                .isEqualTo(1);
        List<Row> left = await(db.fetch(t.select("name", "age").where(Condition.gt("age", 10))));
        assertThat(left).extracting(r -> r.get("name")).containsExactly("琪露诺");
        assertThatThrownBy(() -> t.insert().values(Map.of("agee", 1)))
                .isInstanceOf(VtdbException.class)
                .hasMessageContaining("agee")
                .hasMessageContaining("[id, name, age, place]");

        // rows that give their own ids: every row's id is reported, none made up
        ExecResult given = await(db.execute(t.insert()
                .values(List.of(Map.of("id", 1000, "name", "given a"), Map.of("id", 2000, "name", "given b")))));
        assertThat(given.generatedKeys()).map(k -> ((Number) k).longValue()).containsExactly(1000L, 2000L);
        assertThat(await(db.fetch("SELECT id FROM " + table + " WHERE id >= 1000 ORDER BY id")))
                .extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactly(1000L, 2000L);
    }

    @Test
    void selectFromTextFragmentsRendersAndRuns() {
        insertGirls();
        Select select = Select.columns("name, place").from(table).where("age > ?", 18);
        assertThat(select.toString()).isEqualTo("SELECT name, place \nFROM " + table + " \nWHERE age > ?");
        assertThat(await(db.fetch(select))).extracting(r -> r.get("name")).containsExactly("琪露诺");
    }

    @Test
    void retriesTransactionConflictsUpToTheBound() {
        await(db.execute("INSERT INTO " + table + " (name, age) VALUES (?, ?)", "counter", 0));
        int[] attempts = {0};
        TxOptions opts =
                TxOptions.builder().retries(3).backoff(Duration.ofMillis(1)).build();
        Integer result = await(db.inTransaction(opts, s -> {
            attempts[0]++;
            if (attempts[0] < 3) {
                throw new QueryException("simulated serialization failure", "40001", 0, null, null);
            }
            s.execute("UPDATE " + table + " SET age = age + 1 WHERE name = ?", "counter");
            return attempts[0];
        }));
        assertThat(result).isEqualTo(3);
        assertThat(await(db.fetchValue("SELECT age FROM " + table + " WHERE name = ?", Integer.class, "counter")))
                .isEqualTo(1);
    }

    @Test
    void callsAfterCloseFailClearly() {
        Database closing = open(1, 8);
        assertThat(closing.fetchValue("SELECT 1", Integer.class)).succeedsWithin(WAIT);
        closing.close();
        assertThat(closing.awaitClosed()).isDone();
        assertThat(closing.fetch("SELECT 1"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(DatabaseClosedException.class)
                .withMessageContaining("closed");
    }

    @Test
    void closeEndsACallbackBlockedInItsOwnCodeAndRollsBackItsTransaction() throws Exception {
        Database closing = open(1, 8); // close timeout 1 s, cancel grace 2 s
        CountDownLatch inside = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Object> blocked = closing.inTransaction(s -> {
            s.execute("INSERT INTO " + table + " (name) VALUES (?)", "held by a blocked callback");
            inside.countDown();
            try {
                Thread.sleep(60_000); // the callback's own code, not a statement a cancel could stop
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        });
        assertThat(inside.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // bounded by closeTimeout + 2 x cancelGrace (5 s), not by the callback's 60 s
        assertThat(closing.closeAsync()).succeedsWithin(Duration.ofSeconds(8));
        assertThat(blocked).failsWithin(WAIT);
        assertThat(interrupted).as("the blocked callback was interrupted").isTrue();
        assertThat(await(db.fetch("SELECT name FROM " + table)))
                .as("its transaction was rolled back")
                .isEmpty();
    }

    @Test
    void closeCancelsCallsThatOutliveTheCloseTimeout() {
        Database closing = open(1, 8);
        CompletableFuture<List<Row>> slow = closing.fetch(sleepSql(30));
        CompletableFuture<List<Row>> queued = closing.fetch("SELECT 1");
        assertThat(closing.closeAsync()).succeedsWithin(Duration.ofSeconds(30));
        assertThat(slow).isCompletedExceptionally();
        assertThat(queued).isCompletedExceptionally();
        assertThatThrownBy(queued::join).hasCauseInstanceOf(DatabaseClosedException.class);
    }
}
