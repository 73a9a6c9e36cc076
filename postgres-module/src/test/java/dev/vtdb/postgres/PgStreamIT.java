package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.VtdbException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code session.stream}: outside a transaction and without arguments it reads {@code COPY (query)
 * TO STDOUT (FORMAT binary)}; otherwise a cursor. Both give the same rows and leave the session
 * usable between rows.
 */
class PgStreamIT extends PgITBase {

    @Override
    void setUp() {
        await(db.execute("CREATE TABLE item (id int PRIMARY KEY, n numeric, seen boolean NOT NULL DEFAULT false)"));
    }

    @BeforeEach
    void fill() {
        await(db.execute("TRUNCATE item"));
        await(db.execute("INSERT INTO item (id, n) SELECT g, g / 3.0 FROM generate_series(1, 3000) g"));
    }

    @Test
    void outsideATransactionAStreamReadsACopyAndInsideOneACursorWithTheSameRows() {
        String marker = "vtdb_stream_kind_" + System.nanoTime();
        // the server is still running it at the first row: the last row comes after a pause
        String query = "SELECT id, seen FROM (SELECT id, seen FROM item ORDER BY id) x"
                + " UNION ALL SELECT 0, false FROM pg_sleep(0.3) /* " + marker + " */";
        List<String> outside = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        List<Row> copied;
        List<Row> cursor;
        try (PgDatabase other = Postgres.connectOne(options())) {
            copied = await(db.withConnection(
                    s -> read(s.stream(query), () -> outside.addAll(statementsWith(other, marker)))));
            cursor = await(db.inTransaction(
                    s -> read(s.stream(query), () -> inside.addAll(statementsWith(other, marker)))));
        }
        assertThat(outside).singleElement().asString().startsWith("COPY (");
        assertThat(inside).singleElement().asString().startsWith("SELECT id, seen");
        assertThat(copied).hasSize(3001).isEqualTo(cursor).isEqualTo(await(db.fetch(query)));
    }

    private static List<Row> read(Stream<Row> stream, Runnable atFirstRow) {
        List<Row> rows = new ArrayList<>();
        try (stream) {
            stream.forEach(r -> {
                if (rows.isEmpty()) {
                    atFirstRow.run();
                }
                rows.add(r);
            });
        }
        return rows;
    }

    @Test
    void argumentsOrTypesCopyDoesNotDecodeOrStatementsCopyRefusesGoThroughACursor() {
        String marker = "vtdb_stream_fallback_" + System.nanoTime();
        List<String> seen = new ArrayList<>();
        try (PgDatabase other = Postgres.connectOne(options())) {
            List<Row> withArgument = await(db.withConnection(s -> read(
                    s.stream("SELECT id FROM item WHERE id <= $1 ORDER BY id /* " + marker + " */", 5),
                    () -> seen.addAll(statementsWith(other, marker)))));
            assertThat(withArgument).extracting(r -> r.getInt(0)).containsExactly(1, 2, 3, 4, 5);
        }
        assertThat(seen).singleElement().asString().startsWith("SELECT id FROM item");
        // numeric is not decoded from COPY's binary format
        List<Row> numeric = await(db.withConnection(s -> read(s.stream("SELECT n FROM item ORDER BY id"), () -> {})));
        assertThat(numeric).hasSize(3000).isEqualTo(await(db.fetch("SELECT n FROM item ORDER BY id")));
        // described, but COPY does not take it
        List<Row> show = await(db.withConnection(s -> read(s.stream("SHOW server_version_num"), () -> {})));
        assertThat(show)
                .singleElement()
                .extracting(r -> r.getString(0))
                .asString()
                .startsWith("1");
    }

    @Test
    void statementsBetweenRowsRunAndTheRestOfTheCopyIsKeptOutsideTheHeap() throws IOException {
        long filesBefore = spillFiles();
        long[] sum = new long[1];
        long read = await(db.withConnection(s -> {
            long n = 0;
            try (Stream<Row> rows = s.stream("SELECT id FROM item ORDER BY id")) {
                for (Row r : (Iterable<Row>) rows::iterator) {
                    int id = r.getInt(0);
                    if (id % 1000 == 1) {
                        // auto-commit, as outside a stream: the rest of the COPY is read aside first
                        s.execute("UPDATE item SET seen = true WHERE id = $1", id);
                    }
                    sum[0] += id;
                    n++;
                }
            }
            assertThat(s.inTransaction()).isFalse();
            return n;
        }));
        assertThat(read).isEqualTo(3000);
        assertThat(sum[0]).isEqualTo(3000L * 3001 / 2);
        assertThat(await(db.fetch("SELECT id FROM item WHERE seen ORDER BY id")))
                .extracting(r -> r.getInt(0))
                .containsExactly(1, 1001, 2001);
        assertThat(spillFiles()).as("temporary files removed").isEqualTo(filesBefore);
    }

    @Test
    void aSecondStreamOpenedMidwayLeavesTheFirstReadableToItsEnd() {
        List<Integer> first = new ArrayList<>();
        long second = await(db.withConnection(s -> {
            long n;
            try (Stream<Row> a = s.stream("SELECT id FROM item ORDER BY id")) {
                var it = a.iterator();
                first.add(it.next().getInt(0));
                try (Stream<Row> b = s.stream("SELECT id FROM item ORDER BY id DESC")) {
                    n = b.mapToLong(r -> r.getInt(0)).sum();
                }
                it.forEachRemaining(r -> first.add(r.getInt(0)));
            }
            return n;
        }));
        assertThat(second).isEqualTo(3000L * 3001 / 2);
        assertThat(first).hasSize(3000).startsWith(1, 2, 3).endsWith(2999, 3000);
    }

    @Test
    void anErrorInTheRestReadAsideShowsAfterTheRowsBeforeIt() throws IOException {
        long filesBefore = spillFiles();
        List<Integer> values = new ArrayList<>();
        String query = "SELECT 100000 / (2000 - id) FROM item ORDER BY id";
        assertThatThrownBy(() -> await(db.withConnection(s -> {
                    try (Stream<Row> rows = s.stream(query)) {
                        for (Row r : (Iterable<Row>) rows::iterator) {
                            if (values.isEmpty()) {
                                s.execute("UPDATE item SET seen = true WHERE id = 1");
                            }
                            values.add(r.getInt(0));
                        }
                    }
                    return null;
                })))
                .isInstanceOfSatisfying(
                        QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"))
                .hasMessageContaining("stream");
        assertThat(values).hasSize(1999);
        assertThat(await(db.fetchValue("SELECT count(*) FROM item WHERE seen", Long.class)))
                .as("the statement run between rows is kept")
                .isEqualTo(1);
        assertThat(spillFiles()).isEqualTo(filesBefore);
        // the same through a cursor (an argument), inside a transaction: every row of the chunks
        // fetched before the error (pgjdbc drops the chunk the error ends: 1,000 rows a fetch)
        List<Integer> before = List.copyOf(values);
        values.clear();
        assertThatThrownBy(() -> await(db.inTransaction(s -> {
                    try (Stream<Row> rows = s.stream(query.replace("2000", "$1"), 2000)) {
                        rows.forEach(r -> values.add(r.getInt(0)));
                    }
                    return null;
                })))
                .isInstanceOfSatisfying(
                        QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
        assertThat(values).isEqualTo(before.subList(0, 1000));
    }

    @Test
    void whenTheRestCannotBeKeptTheStatementStillRunsAndTheStreamFailsWithTheReason() {
        String tmp = System.getProperty("java.io.tmpdir");
        String marker = "vtdb_stream_nospill_" + System.nanoTime();
        List<Integer> read = new ArrayList<>();
        try (PgDatabase one = Postgres.connectOne(options())) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            System.setProperty("java.io.tmpdir", tmp + "/vtdb-no-such-directory-" + marker);
            long updated;
            try {
                updated = await(one.withConnection(s -> {
                    try (Stream<Row> rows = s.stream("SELECT generate_series(1, 50000000) AS g /* " + marker + " */")) {
                        var it = rows.iterator();
                        read.add(it.next().getInt(0));
                        long n = s.execute("UPDATE item SET seen = true WHERE id <= 2")
                                .rowCount();
                        assertThatThrownBy(() -> it.forEachRemaining(r -> read.add(r.getInt(0))))
                                .isInstanceOfSatisfying(
                                        QueryException.class,
                                        e -> assertThat(e.sqlState()).isEqualTo("58030"))
                                .hasMessageContaining("temporary file")
                                .hasMessageContaining("vtdb-no-such-directory");
                        return n;
                    }
                }));
            } finally {
                System.setProperty("java.io.tmpdir", tmp);
            }
            assertThat(updated).isEqualTo(2);
            assertThat(read)
                    .as("the rows made before the statement")
                    .startsWith(1)
                    .hasSizeLessThanOrEqualTo(64);
            assertThat(running(marker)).as("the COPY was stopped").isZero();
            assertThat(await(one.fetchValue("SELECT count(*) FROM item WHERE seen", Long.class)))
                    .isEqualTo(2);
            assertThat(await(one.fetchValue("SELECT pg_backend_pid()", Integer.class)))
                    .as("same connection")
                    .isEqualTo(pid);
        }
    }

    @Test
    void aConnectionDroppedMidStreamFailsTheStreamAndThePoolReplacesIt() {
        try (PgDatabase one = Postgres.connectOne(options())) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            List<Integer> read = new ArrayList<>();
            assertThatThrownBy(() -> await(one.withConnection(s -> {
                        try (Stream<Row> rows = s.stream("SELECT generate_series(1, 50000000) AS g")) {
                            rows.forEach(r -> {
                                if (read.isEmpty()) {
                                    assertThat(await(db.fetchValue(
                                                    "SELECT pg_terminate_backend($1)", Boolean.class, pid)))
                                            .isTrue();
                                }
                                read.add(r.getInt(0));
                            });
                        }
                        return null;
                    })))
                    .isInstanceOf(dev.vtdb.ConnectionLostException.class);
            assertThat(read).isNotEmpty().startsWith(1, 2, 3);
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(await(one.fetchValue("SELECT pg_backend_pid()", Integer.class)))
                    .as("a new connection")
                    .isNotEqualTo(pid);
        }
    }

    @Test
    void closingAStreamEarlyStopsTheCopyAndKeepsTheConnection() {
        try (PgDatabase one = Postgres.connectOne(options())) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            String marker = "vtdb_stream_early_" + System.nanoTime();
            // a long rest: cancelled on the server
            long first = await(one.withConnection(s -> {
                try (Stream<Row> rows = s.stream("SELECT generate_series(1, 50000000) AS g /* " + marker + " */")) {
                    return rows.limit(1000).mapToLong(r -> r.getInt(0)).sum();
                }
            }));
            assertThat(first).isEqualTo(1000L * 1001 / 2);
            assertThat(running(marker)).isZero();
            // a short rest: read to its end
            long few = await(one.withConnection(s -> {
                try (Stream<Row> rows = s.stream("SELECT id FROM item ORDER BY id")) {
                    long n = rows.limit(10).count();
                    return n + s.fetchValue("SELECT count(*) FROM item", Long.class);
                }
            }));
            assertThat(few).isEqualTo(3010);
            assertThat(await(one.fetchValue("SELECT pg_backend_pid()", Integer.class)))
                    .as("same connection after both")
                    .isEqualTo(pid);
        }
    }

    @Test
    void aCursorOutsideATransactionCommitsWhatRanWhileItWasOpenAndRefusesANestedBegin() {
        await(db.withConnection(s -> {
            try (Stream<Row> rows = s.stream("SELECT id FROM item WHERE id <= $1 ORDER BY id", 3)) {
                for (Row r : (Iterable<Row>) rows::iterator) {
                    s.execute("UPDATE item SET seen = true WHERE id = $1", r.getInt(0));
                    assertThatThrownBy(s::begin)
                            .isInstanceOf(VtdbException.class)
                            .hasMessageContaining("holds a transaction of its own");
                }
            }
            assertThat(s.inTransaction()).isFalse();
            // the session is in auto-commit again
            s.execute("UPDATE item SET seen = true WHERE id = 10");
            return null;
        }));
        assertThat(await(db.fetch("SELECT id FROM item WHERE seen ORDER BY id")))
                .extracting(r -> r.getInt(0))
                .containsExactly(1, 2, 3, 10);
    }

    @Test
    void aStatementWithoutRowsIsRefusedBeforeItRuns() {
        assertThatThrownBy(() -> await(db.withConnection(s -> {
                    try (Stream<Row> rows = s.stream("UPDATE item SET seen = true")) {
                        return rows.count();
                    }
                })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returns rows");
        assertThat(await(db.fetchValue("SELECT count(*) FROM item WHERE seen", Long.class)))
                .isZero();
    }

    private static long spillFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("vtdb-stream-"))
                    .count();
        }
    }
}
