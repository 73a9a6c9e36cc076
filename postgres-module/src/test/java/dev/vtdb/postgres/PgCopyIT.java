package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.DeadlineExceededException;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** COPY in from records and streams, COPY out to streams. */
class PgCopyIT extends PgITBase {

    @Override
    void setUp() {
        await(db.execute("CREATE TABLE girl (id int, name text, age int, place text)"));
        await(db.execute("CREATE TABLE mixed (t text, n numeric, b boolean, by bytea, d date, ts timestamp,"
                + " tz timestamptz, iv interval, u uuid, arr text[], ia int[], j jsonb)"));
        // every column of a type the binary COPY writes
        await(db.execute(
                "CREATE TABLE plain (s smallint, i int, b bigint, f boolean, t text, v varchar(5), c char(3))"));
        // the same with one column of another type: COPY text, the reference for what binary stores
        await(db.execute("CREATE TABLE plain_text (s smallint, i int, b bigint, f boolean, t text, v varchar(5),"
                + " c char(3), pad numeric)"));
    }

    @BeforeEach
    void clean() {
        await(db.execute("TRUNCATE girl, mixed, plain, plain_text"));
    }

    private static final List<String> PLAIN = List.of("s", "i", "b", "f", "t", "v", "c");

    private List<List<?>> plainRows() {
        return rows("plain");
    }

    private List<List<?>> rows(String table) {
        return await(db.fetch("SELECT s, i, b, f, t, v, c FROM " + table + " ORDER BY i")).stream()
                .<List<?>>map(Row::values)
                .toList();
    }

    @Test
    void binaryCopyReadsEveryValueAsCopyTextWould() {
        // integers, booleans and text go in COPY's binary format; a value of another Java type is
        // read as the server reads its text: these rows hold what COPY text would have stored
        List<List<?>> records = List.of(
                Arrays.asList(
                        (short) -32768, Integer.MIN_VALUE, Long.MIN_VALUE, true, "tab\tnew\nline 琪露诺", "abcde", "ab"),
                Arrays.asList((byte) 1, 2, 3L, false, "", "", ""),
                Arrays.asList(" -7\t", "+42", "9223372036854775807", " Yes ", 5, 'x', true),
                Arrays.asList(new java.math.BigInteger("32767"), 43L, (short) 4, "of", List.of("a", "b"), 1.5, 'q'),
                Arrays.asList("0", 44, 5, "t", "\\N", "N", null),
                Arrays.asList(null, 45, null, null, null, null, null));
        long n = await(db.copyRecordsToTable("plain", records, PLAIN));
        assertThat(n).isEqualTo(6);
        assertThat(await(db.copyRecordsToTable("plain_text", records, PLAIN))).isEqualTo(6);
        assertThat(plainRows()).isEqualTo(rows("plain_text"));
        assertThat(plainRows())
                .containsExactly(
                        Arrays.asList(
                                -32768, Integer.MIN_VALUE, Long.MIN_VALUE, true, "tab\tnew\nline 琪露诺", "abcde", "ab "),
                        Arrays.asList(1, 2, 3L, false, "", "", "   "),
                        Arrays.asList(-7, 42, Long.MAX_VALUE, true, "5", "x", "t  "),
                        Arrays.asList(32767, 43, 4L, false, "{\"a\",\"b\"}", "1.5", "q  "),
                        Arrays.asList(0, 44, 5L, true, "\\N", "N", null),
                        Arrays.asList(null, 45, null, null, null, null, null));
    }

    @Test
    void binaryCopyRefusesWhatTheServerWouldWithItsSqlState() {
        record Bad(List<?> record, String sqlState, String message) {}
        List<Bad> bad = List.of(
                new Bad(
                        Arrays.asList(40000, 1, 1, true, "", "", ""),
                        "22003",
                        "value \"40000\" is out of range for type smallint"),
                new Bad(Arrays.asList(1, 1L << 31, 1, true, "", "", ""), "22003", "out of range for type integer"),
                new Bad(
                        Arrays.asList(1, "99999999999999999999", 1, true, "", "", ""),
                        "22003",
                        "out of range for type integer"),
                new Bad(
                        Arrays.asList(1, 1, "12 3", true, "", "", ""),
                        "22P02",
                        "invalid input syntax for type bigint: \"12 3\""),
                new Bad(
                        Arrays.asList(1, 1, 1, "maybe", "", "", ""),
                        "22P02",
                        "invalid input syntax for type boolean: \"maybe\""),
                new Bad(Arrays.asList(1, 1, 1, "o", "", "", ""), "22P02", "invalid input syntax for type boolean"),
                // the server itself, reading the binary value against the column's length
                new Bad(Arrays.asList(1, 1, 1, true, "", "toolong", ""), "22001", "too long"),
                new Bad(Arrays.asList(1, 1, 1, true, "a\u0000b", "", ""), "22021", "0x00"));
        for (Bad b : bad) {
            // a good row first: it is sent before the bad one is met, and the COPY still copies nothing
            List<List<?>> records = List.of(Arrays.asList(1, 2, 3, true, "ok", "ok", "ok"), b.record());
            assertThat(db.copyRecordsToTable("plain", records, PLAIN))
                    .as("%s", b.record())
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo(b.sqlState());
                        assertThat(e.getMessage()).contains(b.message());
                    });
            // COPY text, the server deciding: the same SQLSTATE
            assertThat(db.copyRecordsToTable("plain_text", records, PLAIN))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            QueryException.class, e -> assertThat(e.sqlState()).isEqualTo(b.sqlState()));
        }
        assertThat(await(db.fetchValue("SELECT count(*) FROM plain_text", Long.class)))
                .isZero();
        // the refusal names the record and column, like COPY's own context line
        assertThat(db.copyRecordsToTable("plain", List.of(Arrays.asList(1, 2, 3, "nope", "", "", "")), PLAIN))
                .failsWithin(WAIT)
                .withThrowableThat()
                .withMessageContaining("record 1, column f: invalid input syntax for type boolean: \"nope\"")
                .withMessageContaining("refused before it was sent: nothing was copied");
        // PostgreSQL 16 reads 0x1F and 1_000 as integers; 15 does not
        int major = await(db.fetchValue("SELECT current_setting('server_version_num')::int / 10000", Integer.class));
        var copy = db.copyRecordsToTable(
                "plain", List.of(Arrays.asList("0x1F", "1_000", "-0b101", true, "", "", "")), PLAIN);
        if (major >= 16) {
            assertThat(copy).succeedsWithin(WAIT);
            assertThat(plainRows()).containsExactly(Arrays.asList(31, 1000, -5L, true, "", "", "   "));
        } else {
            assertThat(copy)
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
            assertThat(plainRows()).isEmpty();
        }
        assertThat(await(db.fetchValue("SELECT count(*) FROM plain", Long.class)))
                .isEqualTo(major >= 16 ? 1L : 0L);
    }

    @Test
    void aTableWithAnotherColumnTypeGetsCopyTextAndTheServersOwnErrors() {
        // mixed has a numeric column: text format, so a bad boolean is the server's to refuse
        assertThat(db.copyRecordsToTable("mixed", List.of(Arrays.asList("x", 1, "maybe")), List.of("t", "n", "b")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22P02");
                    assertThat(e.getMessage())
                            .contains("invalid input syntax for type boolean")
                            .doesNotContain("refused before it was sent");
                });
        // and an unknown column is the COPY's own error, not the type lookup's
        assertThat(db.copyRecordsToTable("plain", List.of(List.of(1)), List.of("nope")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42703");
                    assertThat(e.getMessage()).contains("COPY");
                });
        assertThat(await(db.fetchValue("SELECT count(*) FROM mixed", Long.class)))
                .isZero();
    }

    @Test
    void copyRecordsToTableEscapesAndKeepsNulls() {
        UUID u = UUID.randomUUID();
        byte[] bytes = {0, 9, 10, 13, 92, (byte) 0xff};
        List<List<?>> records = List.of(
                Arrays.asList(
                        "tab\there\nnew line\r\\back\\N 琪露诺",
                        new BigDecimal("-12.500"),
                        true,
                        bytes,
                        LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 1, 2, 3, 456_000_000),
                        Instant.parse("2024-01-01T00:00:00Z"),
                        Duration.ofHours(25).plusMillis(5),
                        u,
                        Arrays.asList("a,b", null, "q\"uote", "back\\slash", "{brace}", "NULL"),
                        List.of(1, 2),
                        "{\"k\": [1, \"v\"]}"),
                Arrays.asList(null, null, null, null, null, null, null, null, null, null, null, null));
        long n = await(db.copyRecordsToTable(
                "mixed", records, List.of("t", "n", "b", "by", "d", "ts", "tz", "iv", "u", "arr", "ia", "j")));
        assertThat(n).isEqualTo(2);
        List<Row> rows = await(db.fetch("SELECT * FROM mixed ORDER BY t NULLS LAST"));
        Row r = rows.get(0);
        assertThat(r.get("t")).isEqualTo("tab\there\nnew line\r\\back\\N 琪露诺");
        assertThat(r.get("n")).isEqualTo(new BigDecimal("-12.500"));
        assertThat(r.get("b")).isEqualTo(true);
        assertThat((byte[]) r.get("by")).containsExactly(bytes);
        assertThat(r.get("d")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(r.get("ts")).isEqualTo(LocalDateTime.of(2024, 2, 29, 1, 2, 3, 456_000_000));
        assertThat(((OffsetDateTime) r.get("tz")).toInstant()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(r.get("iv")).isEqualTo(Duration.ofHours(25).plusMillis(5));
        assertThat(r.get("u")).isEqualTo(u);
        assertThat(r.get("arr")).isEqualTo(Arrays.asList("a,b", null, "q\"uote", "back\\slash", "{brace}", "NULL"));
        assertThat(r.get("ia")).isEqualTo(List.of(1, 2));
        assertThat(r.get("j")).isEqualTo("{\"k\": [1, \"v\"]}");
        assertThat(rows.get(1).values()).containsOnlyNulls();
    }

    @Test
    void copyRecordsIntoAQualifiedTableAndBadValueCopiesNothing() {
        long n = await(db.copyRecordsToTable(
                schema + ".girl",
                List.of(List.of(1, "a", 17, "x"), List.of(2, "b", 60, "y")),
                List.of("id", "name", "age", "place")));
        assertThat(n).isEqualTo(2);
        assertThat(db.copyRecordsToTable(
                        "girl",
                        List.of(List.of(3, "c", 1, "z"), List.of(4, "d", "not a number", "z")),
                        List.of("id", "name", "age", "place")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                .isEqualTo(2L);
        assertThat(db.copyRecordsToTable("girl", List.of(List.of(1)), List.of("id", "name")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .withMessageContaining("record 1 has 1 values but 2 columns");
    }

    @Test
    void recordsWithTextThatIsNotValidUnicodeCopyNothing() {
        // COPY sends text as UTF-8: an unpaired surrogate would arrive as '?'; it is refused before COPY starts
        assertThat(db.copyRecordsToTable(
                        "girl",
                        List.of(List.of(1, "a", 1, "x"), List.of(2, "b\uD800", 2, "y")),
                        List.of("id", "name", "age", "place")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22021");
                    assertThat(e.getMessage())
                            .contains("copyRecordsToTable refused record 2, column name")
                            .contains("unpaired surrogate U+D800 at index 1");
                });
        assertThat(db.copyRecordsToTable(
                        "mixed", List.of(List.of("fine", List.of("ok", "\uDC00"))), List.of("t", "arr")))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(QueryException.class)
                .withMessageContaining("record 1, column arr")
                .withMessageContaining("element 1 holds an unpaired surrogate U+DC00 at index 0");
        assertThat(await(
                        db.fetchValue("SELECT (SELECT count(*) FROM girl) + (SELECT count(*) FROM mixed)", Long.class)))
                .isZero();
    }

    @Test
    void aCopyWaitingOnTheCallersStalledStreamIsEndedAfterItsDeadlineAndGrace() {
        CountDownLatch reading = new CountDownLatch(1);
        InputStream stalled = new InputStream() {
            private boolean sent;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!sent) {
                    sent = true;
                    byte[] row = "1,stalled,1,x\n".getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(row, 0, b, off, row.length);
                    return row.length;
                }
                reading.countDown();
                try {
                    Thread.sleep(60_000); // the caller's stream never delivers the rest
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
                return -1;
            }
        };
        try (PgDatabase one = Postgres.connectOne(options())) {
            assertThat(one.withTimeout(Duration.ofSeconds(1)).copyFromStream("girl", stalled, CopyFormat.CSV))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class);
            // the worker is not held by the stalled stream past deadline + cancel grace (2 s)
            assertThat(one.awaitIdle(WAIT)).as("idle: %s", one.stats()).isTrue();
            assertThat(await(one.fetchValue("SELECT 1", Integer.class))).isEqualTo(1);
        }
        assertThat(reading.getCount()).isZero();
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                .as("nothing of the stalled COPY was kept")
                .isZero();
    }

    @Test
    void copyFromStreamAndToStreamRoundTripCsvAndText() {
        String csv = "1,\"Cirno, the ice fairy\",9,雾之湖\n2,Reimu,,\"Hakurei \"\"Shrine\"\"\"\n";
        long in = await(db.copyFromStream(
                "girl", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), CopyFormat.CSV));
        assertThat(in).isEqualTo(2);
        assertThat(await(db.fetchValue("SELECT place FROM girl WHERE id = 2", String.class)))
                .isEqualTo("Hakurei \"Shrine\"");
        assertThat(await(db.fetchValue("SELECT age FROM girl WHERE id = 2", Integer.class)))
                .isNull();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = await(db.copyToStream("SELECT id, name, age FROM girl ORDER BY id;", out));
        assertThat(n).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1\tCirno, the ice fairy\t9\n2\tReimu\t\\N\n");

        ByteArrayOutputStream csvOut = new ByteArrayOutputStream();
        await(db.copyToStream("SELECT * FROM girl ORDER BY id", csvOut, CopyFormat.CSV));
        assertThat(csvOut.toString(StandardCharsets.UTF_8)).isEqualTo(csv);

        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        await(db.copyToStream("SELECT * FROM girl", binary, CopyFormat.BINARY));
        await(db.execute("TRUNCATE girl"));
        assertThat(await(db.copyFromStream("girl", new ByteArrayInputStream(binary.toByteArray()), CopyFormat.BINARY)))
                .isEqualTo(2);
        assertThat(await(db.fetchValue("SELECT name FROM girl WHERE id = 1", String.class)))
                .isEqualTo("Cirno, the ice fairy");
    }

    @Test
    void copyRecordsFromALazyIterableKeepsEveryByte() {
        // a string longer than the 64 KiB chunk, full of characters COPY escapes, and multi-byte text
        String big = "tab\tnew\nret\rback\\古明地觉".repeat(3_000);
        List<List<?>> expected = List.of(
                Arrays.asList(Integer.MIN_VALUE, big, -1, "地灵殿"),
                Arrays.asList(0, "", null, null),
                Arrays.asList(Integer.MAX_VALUE, "\\N", 7, "\\"));
        int[] made = {0};
        // made one at a time as COPY takes them, like asyncpg's generator of records
        Iterable<List<?>> lazy = () -> expected.stream()
                .<List<?>>map(r -> {
                    made[0]++;
                    return r;
                })
                .iterator();
        long n = await(db.copyRecordsToTable("girl", lazy, List.of("id", "name", "age", "place")));
        assertThat(n).isEqualTo(3);
        assertThat(made[0]).isEqualTo(3);
        List<Row> rows = await(db.fetch("SELECT id, name, age, place FROM girl ORDER BY id"));
        assertThat(rows)
                .<List<?>>extracting(r -> Arrays.asList(r.get("id"), r.get("name"), r.get("age"), r.get("place")))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void copyOfAMillionRecordsThroughputIsReported() {
        int n = 1_000_000;
        List<List<?>> records = new AbstractList<>() {
            @Override
            public List<?> get(int i) {
                return List.of(i, "name " + i, i % 100, "place");
            }

            @Override
            public int size() {
                return n;
            }
        };
        long t0 = System.nanoTime();
        long copied = await(db.withTimeout(Duration.ofSeconds(60))
                .copyRecordsToTable("girl", records, List.of("id", "name", "age", "place")));
        long nanos = System.nanoTime() - t0;
        assertThat(copied).isEqualTo(n);
        System.out.printf("copyRecordsToTable %d records: %.0f rows/s%n", n, n * 1e9 / nanos);
        assertThat(await(db.fetchValue("SELECT sum(id::bigint) FROM girl", Long.class)))
                .isEqualTo((long) n * (n - 1) / 2);
    }

    // ---- copyRowsFromQuery ----

    /** Every type COPY's binary rows are decoded from, with the edges of each and NULLs. */
    private void fillTyped() {
        await(db.execute("DROP TABLE IF EXISTS typed"));
        await(db.execute("CREATE TABLE typed (s int2, i int4, b int8, r real, d double precision, f bool, t text,"
                + " v varchar(5), c char(3), u uuid, by bytea)"));
        await(db.execute("INSERT INTO typed VALUES"
                + " (-32768, -2147483648, -9223372036854775808, '-Infinity', 'NaN', false, '', '', '',"
                + " '00000000-0000-0000-0000-000000000000', ''::bytea),"
                + " (32767, 2147483647, 9223372036854775807, 3.25, 1e-300, true, 'tab\tnew\nline 琪露诺 😀', 'abcde',"
                + " 'x', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff10'::bytea),"
                + " (0, 0, 0, -0.0, 'Infinity', null, null, null, null, null, null),"
                + " (null, 1, null, null, null, null, null, null, null, null, null)"));
    }

    private List<Row> copyRows(String query) {
        List<Row> rows = new java.util.ArrayList<>();
        long n = await(db.copyRowsFromQuery(query, rows::add));
        assertThat(n).isEqualTo(rows.size());
        return rows;
    }

    @Test
    void copyRowsFromQueryReadsTheRowsACursorReadsThroughCopyBinary() {
        fillTyped();
        String query = "SELECT * FROM typed ORDER BY i";
        List<Row> cursor = await(db.withConnection(s -> {
            try (java.util.stream.Stream<Row> st = s.stream(query)) {
                return st.toList();
            }
        }));
        List<Row> copied = copyRows(query);
        assertThat(copied).isEqualTo(cursor).isEqualTo(await(db.fetch(query)));
        assertThat(copied.get(0).keys()).containsExactly("s", "i", "b", "r", "d", "f", "t", "v", "c", "u", "by");
        assertThat(copied.get(0).values())
                .containsExactly(
                        -32768,
                        Integer.MIN_VALUE,
                        Long.MIN_VALUE,
                        Float.NEGATIVE_INFINITY,
                        Double.NaN,
                        false,
                        "",
                        "",
                        "   ",
                        new UUID(0, 0),
                        new byte[0]);
        assertThat(copied.get(3).get("t")).isEqualTo("tab\tnew\nline 琪露诺 😀");
        assertThat((byte[]) copied.get(3).get("by")).containsExactly(0, 255, 16);
        assertThat(copied.get(1).values())
                .containsExactly(0, 0, 0L, 0.0f, Double.POSITIVE_INFINITY, null, null, null, null, null, null);
    }

    @Test
    void copyRowsFromQueryReadsDatesAndTimestampsAsACursorDoes() {
        await(db.execute("DROP TABLE IF EXISTS times"));
        await(db.execute("CREATE TABLE times (n int, d date, ts timestamp, tz timestamptz)"));
        await(db.execute("INSERT INTO times VALUES"
                + " (1, '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00'),"
                + " (2, '1999-12-31', '1999-12-31 23:59:59.999999', '1969-07-20 20:17:40.5+00'),"
                + " (3, '0044-03-15 BC', '0044-03-15 12:00:00 BC', '2026-11-26 14:43:31.123456+05:30'),"
                + " (4, 'infinity', 'infinity', 'infinity'),"
                + " (5, '-infinity', '-infinity', '-infinity'),"
                + " (6, '294276-12-31', '294276-12-31 23:59:59.999999', '4713-01-01 00:00:00+00 BC'),"
                + " (7, null, null, null)"));
        String query = "SELECT d, ts, tz FROM times ORDER BY n";
        List<Row> copied = copyRows(query);
        List<Row> cursor = await(db.withConnection(s -> {
            try (java.util.stream.Stream<Row> st = s.stream(query)) {
                return st.toList();
            }
        }));
        assertThat(copied).isEqualTo(cursor).isEqualTo(await(db.fetch(query)));
        assertThat(copied.get(1).values())
                .containsExactly(
                        LocalDate.of(1999, 12, 31),
                        LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
                        OffsetDateTime.parse("1969-07-20T20:17:40.5Z"));
        assertThat(copied.get(2).get("d")).isEqualTo(LocalDate.of(-43, 3, 15));
        assertThat(copied.get(2).get("tz")).isEqualTo(OffsetDateTime.parse("2026-11-26T09:13:31.123456Z"));
        assertThat(copied.get(3).values()).containsExactly(LocalDate.MAX, LocalDateTime.MAX, OffsetDateTime.MAX);
        assertThat(copied.get(4).values()).containsExactly(LocalDate.MIN, LocalDateTime.MIN, OffsetDateTime.MIN);
    }

    @Test
    void copyRowsFromQueryReadsOtherTypesThroughACursorWithTheSameRows() {
        fillTyped();
        // numeric and interval are not decoded from COPY binary: a cursor reads these rows
        String query = "SELECT i, i::numeric / 3 AS third, make_interval(days => i % 7) AS iv, t FROM typed ORDER BY i";
        List<Row> copied = copyRows(query);
        assertThat(copied).isEqualTo(await(db.fetch(query)));
        assertThat(copied).extracting(r -> r.get("third")).allMatch(v -> v == null || v instanceof BigDecimal);
        assertThat(copied).extracting(r -> r.get("iv")).allMatch(v -> v == null || v instanceof Duration);
        assertThat(copied).extracting(r -> r.get(0)).containsExactly(Integer.MIN_VALUE, 0, 1, Integer.MAX_VALUE);
    }

    @Test
    void copyRowsFromQueryTakesATrailingSemicolonOrCommentAndAnEmptyResult() {
        fillTyped();
        assertThat(copyRows("SELECT i FROM typed ORDER BY i;  "))
                .extracting(r -> r.get(0))
                .hasSize(4);
        assertThat(copyRows("SELECT i, t FROM typed WHERE i = 1 -- the last line is a comment"))
                .singleElement()
                .extracting(Row::values)
                .isEqualTo(Arrays.asList(1, null));
        List<Row> none = new java.util.ArrayList<>();
        assertThat(await(db.copyRowsFromQuery("SELECT i FROM typed WHERE false", none::add)))
                .isZero();
        assertThat(none).isEmpty();
    }

    @Test
    void copyRowsFromQueryRefusesParametersAndStatementsWithoutRowsAndReportsServerErrors() {
        fillTyped();
        assertThat(db.copyRowsFromQuery("SELECT i FROM typed WHERE i = $1", r -> {}))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("without parameters");
        assertThat(db.copyRowsFromQuery("INSERT INTO typed (i) VALUES (99)", r -> {}))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("returns rows");
        assertThat(await(db.fetchValue("SELECT count(*) FROM typed WHERE i = 99", Long.class)))
                .as("described, never run")
                .isZero();
        assertThat(db.copyRowsFromQuery("SELECT nope FROM typed", r -> {}))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("42703"))
                .withMessageContaining("nope");
        // a row-level error half-way through the COPY
        assertThat(db.copyRowsFromQuery("SELECT 10 / s FROM typed ORDER BY i", r -> {}))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
        assertThat(copyRows("SELECT i FROM typed"))
                .as("the connections still work")
                .hasSize(4);
    }

    @Test
    void aConsumerThatThrowsStopsTheCopyAndTheConnectionIsReused() {
        String marker = "vtdb_copy_rows_stop_" + System.nanoTime();
        String query = "SELECT generate_series(1, 50000000) AS g /* " + marker + " */";
        RuntimeException stop = new IllegalStateException("enough");
        int[] seen = new int[1];
        List<String> running = new java.util.ArrayList<>();
        try (PgDatabase other = Postgres.connectOne(options())) {
            assertThat(db.copyRowsFromQuery(query, r -> {
                        if (++seen[0] == 1) {
                            running.addAll(statementsWith(other, marker));
                        } else if (seen[0] == 1000) {
                            throw stop;
                        }
                    }))
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat()
                    .havingCause()
                    .isSameAs(stop);
        }
        assertThat(running)
                .as("the server ran a COPY")
                .singleElement()
                .asString()
                .startsWith("COPY (");
        assertThat(seen[0]).isEqualTo(1000);
        assertThat(db.awaitIdle(WAIT)).isTrue();
        assertThat(running(marker)).as("the server stopped the COPY").isZero();
        assertThat(copyRows("SELECT 7"))
                .singleElement()
                .extracting(r -> r.get(0))
                .isEqualTo(7);
    }

    @Test
    void aDeadlineCancelsTheCopyOnTheServerAndKeepsTheConnection() {
        try (PgDatabase one = Postgres.connectOne(options())) {
            int pid = await(one.fetchValue("SELECT pg_backend_pid()", Integer.class));
            String marker = "vtdb_copy_rows_deadline_" + System.nanoTime();
            assertThat(one.withTimeout(Duration.ofMillis(500))
                            .copyRowsFromQuery("SELECT 1 AS one FROM pg_sleep(30) /* " + marker + " */", r -> {}))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(dev.vtdb.DeadlineExceededException.class);
            assertThat(one.awaitIdle(WAIT)).isTrue();
            assertThat(running(marker)).isZero();
            assertThat(await(one.fetchValue("SELECT pg_backend_pid()", Integer.class)))
                    .as("same connection: the COPY was cancelled, not the connection closed")
                    .isEqualTo(pid);
        }
    }
    /** A sink that refuses every byte, as a full disk or a closed socket would. */
    private static final class FailingSink extends java.io.OutputStream {
        @Override
        public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("sink full");
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            throw new java.io.IOException("sink full");
        }
    }

    @Test
    void aSinkThatFailsLeavesNoCancelForTheNextStatementOrCopy() {
        try (PgDatabase one = Postgres.connectOne(options())) {
            for (int round = 0; round < 3; round++) {
                assertThat(one.copyToStream("SELECT g FROM generate_series(1, 200000) g", new FailingSink()))
                        .failsWithin(WAIT)
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(dev.vtdb.VtdbException.class)
                        .withMessageContaining("sink full");
                // pgjdbc's copyOut sent a cancel for the COPY: it must not hit the next statement
                assertThat(await(one.fetchValue("SELECT 41 + 1", Integer.class)))
                        .isEqualTo(42);
                assertThat(one.copyToStream("SELECT g FROM generate_series(1, 200000) g", new FailingSink()))
                        .failsWithin(WAIT);
                // nor the next COPY
                assertThat(await(one.copyRecordsToTable("girl", List.of(List.of(round, "a")), List.of("id", "name"))))
                        .isEqualTo(1L);
            }
            assertThat(one.awaitIdle(WAIT)).isTrue();
        }
        assertThat(await(db.fetchValue("SELECT count(*) FROM girl", Long.class)))
                .isEqualTo(3L);
    }
}
