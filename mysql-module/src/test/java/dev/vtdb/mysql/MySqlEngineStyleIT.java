package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.BatchResult;
import dev.vtdb.Cursor;
import dev.vtdb.DatabaseClosedException;
import dev.vtdb.Row;
import dev.vtdb.Session;
import dev.vtdb.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * aiomysql.sa's engine, the vtdb way: {@code withConnection} is {@code engine.acquire()}, {@code
 * session.cursor} is the {@code ResultProxy}, {@code session.begin()} is {@code conn.begin()}.
 */
class MySqlEngineStyleIT extends MySqlTestBase {
    private static final String GIRL = "engine_girl";
    private static final String MANY = "engine_many";

    @Override
    void createTables() {
        await(db.execute("CREATE TABLE " + GIRL + " (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64) NOT NULL,"
                + " age int, place varchar(64)) DEFAULT CHARSET=utf8mb4"));
        await(db.execute("CREATE TABLE " + MANY + " (id int AUTO_INCREMENT PRIMARY KEY, n int NOT NULL)"));
    }

    @Override
    void dropTables() {
        await(db.execute("DROP TABLE IF EXISTS " + GIRL));
        await(db.execute("DROP TABLE IF EXISTS " + MANY));
    }

    @BeforeEach
    void seed() {
        await(db.execute("DELETE FROM " + GIRL));
        await(db.execute("DELETE FROM " + MANY));
        await(db.executeMany(
                "INSERT INTO " + GIRL + " (name, age, place) VALUES (?, ?, ?)",
                List.of(List.of("十六夜咲夜", 17, "红魔馆"), List.of("琪露诺", 60, "雾之湖"), List.of("古明地觉", 16, "地灵殿"))));
    }

    @Test
    void cursorIsTheResultProxy() {
        await(db.withConnection(conn -> {
            try (Cursor result = conn.cursor("SELECT id, name, age, place FROM " + GIRL + " ORDER BY id")) {
                assertThat(result.keys()).containsExactly("id", "name", "age", "place");
                Row one = result.fetchOne().orElseThrow();
                assertThat(one.keys()).containsExactly("id", "name", "age", "place");
                assertThat(one.values()).containsExactly(one.get("id"), "十六夜咲夜", 17, "红魔馆");
                assertThat(one.items()).extracting(Map.Entry::getKey).containsExactly("id", "name", "age", "place");
                assertThat(one.toMap()).containsEntry("place", "红魔馆");
                assertThat(result.fetchMany(1)).extracting(r -> r.get("name")).containsExactly("琪露诺");
                assertThat(result.fetchAll()).extracting(r -> r.get("name")).containsExactly("古明地觉");
                assertThat(result.fetchOne()).isEmpty();
                assertThat(result.fetchMany(5)).isEmpty();
                assertThat(result.rowCount()).isEqualTo(3);
            }
            return null;
        }));
    }

    @Test
    void otherStatementsRunWhileACursorIsOpen() {
        List<String> seen = await(db.withConnection(conn -> {
            List<String> names = new ArrayList<>();
            try (Cursor result = conn.cursor("SELECT name FROM " + GIRL + " ORDER BY id")) {
                for (Row r = result.fetchOne().orElse(null);
                        r != null;
                        r = result.fetchOne().orElse(null)) {
                    conn.execute("UPDATE " + GIRL + " SET age = age + 1 WHERE name = ?", r.get("name"));
                    names.add(r.getString("name"));
                }
            }
            return names;
        }));
        assertThat(seen).containsExactly("十六夜咲夜", "琪露诺", "古明地觉");
        assertThat(await(db.fetchValue("SELECT sum(age) FROM " + GIRL, Long.class)))
                .isEqualTo(17 + 60 + 16 + 3L);
    }

    @Test
    void cursorsAndStreamsReadThroughAServerSideCursorInChunks() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(List.of(i));
        }
        await(db.executeMany("INSERT INTO " + MANY + " (n) VALUES (?)", rows));
        MySqlDatabase small =
                MySql.connect(options().toBuilder().poolSize(1).fetchSize(100).build());
        try {
            long fetches = await(small.withConnection(conn -> {
                long before = stmtFetches(conn);
                long sum;
                try (Stream<Row> stream = conn.stream("SELECT n FROM " + MANY)) {
                    sum = stream.mapToLong(r -> r.getLong("n")).sum();
                }
                assertThat(sum).isEqualTo(999L * 1000 / 2);
                try (Cursor c = conn.cursor("SELECT n FROM " + MANY + " ORDER BY n")) {
                    assertThat(c.fetchMany(250)).hasSize(250);
                }
                return stmtFetches(conn) - before;
            }));
            // 1000 rows at 100 a round trip: at least 10 COM_STMT_FETCH for the stream, 3 for the cursor
            assertThat(fetches).isGreaterThanOrEqualTo(13);
            // a plain fetch reads the whole result at once, without a cursor
            long plain = await(small.withConnection(conn -> {
                long before = stmtFetches(conn);
                assertThat(conn.fetch("SELECT n FROM " + MANY)).hasSize(1000);
                return stmtFetches(conn) - before;
            }));
            assertThat(plain).isZero();
        } finally {
            small.close();
        }
    }

    private static long stmtFetches(Session conn) {
        return Long.parseLong(conn.fetchRow("SHOW SESSION STATUS LIKE 'Com_stmt_fetch'")
                .orElseThrow()
                .getString("Value"));
    }

    @Test
    void cachedPreparedStatementsDoNotCarryLimitsOrFetchSizesOver() {
        String sql = "SELECT name FROM " + GIRL + " ORDER BY id";
        await(db.withConnection(conn -> {
            // the same SQL on the same connection reuses Connector/J's cached statement
            assertThat(conn.fetchRow(sql)).isPresent();
            assertThat(conn.fetch(sql)).hasSize(3);
            assertThat(conn.fetchRow(sql)).isPresent();
            try (Cursor c = conn.cursor(sql)) {
                assertThat(c.fetchAll()).hasSize(3);
            }
            long before = stmtFetches(conn);
            assertThat(conn.fetch(sql)).hasSize(3);
            assertThat(stmtFetches(conn) - before)
                    .as("no cursor for a plain fetch")
                    .isZero();
            assertThat(conn.fetchRow(sql)).isPresent();
            assertThat(conn.fetchAs(String.class, sql)).hasSize(3);
            return null;
        }));
    }

    @Test
    void executeManyIsSentAsRewrittenMultiRowInserts() {
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(List.of(i));
        }
        long inserts = await(db.withConnection(conn -> {
            long before = status(conn, "Com_insert") + status(conn, "Com_stmt_execute");
            BatchResult r = conn.executeMany("INSERT INTO " + MANY + " (n) VALUES (?)", rows);
            assertThat(r.size()).isEqualTo(1000);
            // rewritten, the driver counts no row; a plain INSERT's row inserted one each
            assertThat(r.counts()).containsOnly(1L);
            assertThat(r.totalRowCount()).isEqualTo(1000);
            BatchResult ignored = conn.executeMany(
                    "INSERT IGNORE INTO " + MANY + " (n) VALUES (?)", List.of(List.of(5000), List.of(5001)));
            assertThat(ignored.counts()).as("IGNORE may skip rows: not counted").containsOnly((long)
                    java.sql.Statement.SUCCESS_NO_INFO);
            conn.execute("DELETE FROM " + MANY + " WHERE n >= 5000");
            return status(conn, "Com_insert") + status(conn, "Com_stmt_execute") - before - 2;
        }));
        assertThat(inserts).as("statements sent for 1000 rows").isLessThan(20);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + MANY, Long.class)))
                .isEqualTo(1000L);
    }

    private static long status(Session conn, String name) {
        return Long.parseLong(
                conn.fetchRow("SHOW SESSION STATUS LIKE ?", name).orElseThrow().getString("Value"));
    }

    @Test
    void beginCommitsOrRollsBackLikeConnBegin() {
        await(db.withConnection(conn -> {
            // async with conn.begin(): ... raises -> rolled back
            assertThatThrownBy(() -> {
                        try (Transaction tx = conn.begin()) {
                            conn.execute("INSERT INTO " + GIRL + " (name) VALUES (?)", "lost");
                            assertThat(conn.inTransaction()).isTrue();
                            throw new IllegalStateException("boom " + tx);
                        }
                    })
                    .isInstanceOf(IllegalStateException.class);
            assertThat(conn.inTransaction()).isFalse();
            try (Transaction tx = conn.begin()) {
                conn.execute("INSERT INTO " + GIRL + " (name) VALUES (?)", "kept");
                tx.commit();
            }
            Transaction tx = conn.begin();
            conn.execute("INSERT INTO " + GIRL + " (name) VALUES (?)", "rolled back");
            tx.rollback();
            return null;
        }));
        assertThat(await(db.fetch("SELECT name FROM " + GIRL + " WHERE age IS NULL")))
                .extracting(r -> r.get("name"))
                .containsExactly("kept");
    }

    @Test
    void futuresCompleteOnTheCallbackExecutor() {
        AtomicInteger used = new AtomicInteger();
        try (var pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"))) {
            Executor counting = task -> {
                used.incrementAndGet();
                pool.execute(task);
            };
            MySqlDatabase withExecutor = MySql.connect(
                    options().toBuilder().poolSize(1).callbackExecutor(counting).build());
            try {
                assertThat(withExecutor.fetchValue("SELECT 1", Integer.class))
                        .succeedsWithin(WAIT)
                        .isEqualTo(1);
                assertThat(used.get()).isEqualTo(1);
            } finally {
                withExecutor.close();
            }
        }
    }

    @Test
    void closeThenAwaitClosedLikeEngineCloseAndWaitClosed() {
        MySqlDatabase engine = MySql.connect(options().toBuilder().poolSize(2).build());
        assertThat(engine.fetchValue("SELECT 1", Integer.class)).succeedsWithin(WAIT);
        engine.closeAsync();
        assertThat(engine.awaitClosed()).succeedsWithin(WAIT);
        assertThat(engine.fetchValue("SELECT 1", Integer.class))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(DatabaseClosedException.class);
    }
}
