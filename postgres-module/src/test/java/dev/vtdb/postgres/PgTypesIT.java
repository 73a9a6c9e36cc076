package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Row;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every mapped type, in as a parameter and out as a column, including NULL. */
class PgTypesIT extends PgITBase {

    enum Mood {
        SAD,
        OK,
        HAPPY
    }

    private static final String COLUMNS =
            "i2, i4, i8, num, r, d, b, t, vc, ch, by, dt, tm, ts, tstz, iv, u, j, jb, ia, ta, m";

    @Override
    void setUp() {
        await(db.execute("CREATE TYPE mood AS ENUM ('SAD', 'OK', 'HAPPY')"));
        await(db.execute("CREATE TABLE types (id serial PRIMARY KEY, i2 smallint, i4 int, i8 bigint,"
                + " num numeric(20,5), r real, d double precision, b boolean, t text, vc varchar(10), ch char(3),"
                + " by bytea, dt date, tm time, ts timestamp, tstz timestamptz, iv interval, u uuid, j json,"
                + " jb jsonb, ia int[], ta text[], m mood)"));
    }

    @BeforeEach
    void clean() {
        await(db.execute("TRUNCATE types"));
    }

    @Test
    void everyTypeRoundTrips() {
        UUID uuid = UUID.randomUUID();
        byte[] bytes = {0, 1, (byte) 0xfe, (byte) 0xff, '\\', '\n'};
        LocalDate date = LocalDate.of(2024, 2, 29);
        LocalTime time = LocalTime.of(23, 59, 58, 123_456_000);
        LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000);
        Instant instant = Instant.parse("2024-03-01T10:15:30.123456Z");
        Duration interval =
                Duration.ofDays(2).plusHours(3).plusMinutes(4).plusSeconds(5).plusMillis(6);
        await(db.execute(
                "INSERT INTO types (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                        + " $13, $14, $15, $16, $17, $18::json, $19::jsonb, $20, $21, $22)",
                (short) 7,
                42,
                9_000_000_000L,
                new BigDecimal("12345.67891"),
                1.5f,
                2.25d,
                true,
                "text ✓",
                "varchar",
                "abc",
                bytes,
                date,
                time,
                ts,
                instant,
                interval,
                uuid,
                "{\"a\": [1, 2]}",
                "{\"b\":   true}",
                List.of(1, 2, 3),
                Arrays.asList("x", null, "y\"z"),
                Mood.HAPPY));
        Row r = await(db.fetchRow("SELECT " + COLUMNS + " FROM types")).orElseThrow();
        assertThat(r.get("i2")).isEqualTo(7);
        assertThat(r.get("i2", Short.class)).isEqualTo((short) 7);
        assertThat(r.get("i4")).isEqualTo(42);
        assertThat(r.get("i8")).isEqualTo(9_000_000_000L);
        assertThat(r.get("num")).isEqualTo(new BigDecimal("12345.67891"));
        assertThat(r.get("r")).isEqualTo(1.5f);
        assertThat(r.get("d")).isEqualTo(2.25d);
        assertThat(r.get("b")).isEqualTo(true);
        assertThat(r.get("t")).isEqualTo("text ✓");
        assertThat(r.get("vc")).isEqualTo("varchar");
        assertThat(r.get("ch")).isEqualTo("abc");
        assertThat((byte[]) r.get("by")).containsExactly(bytes);
        assertThat(r.get("dt")).isEqualTo(date);
        assertThat(r.get("tm")).isEqualTo(time);
        assertThat(r.get("ts")).isEqualTo(ts);
        assertThat(r.get("tstz")).isInstanceOf(OffsetDateTime.class);
        assertThat(((OffsetDateTime) r.get("tstz")).toInstant()).isEqualTo(instant);
        assertThat(r.get("iv")).isEqualTo(interval);
        assertThat(r.get("u")).isEqualTo(uuid);
        assertThat(r.get("j")).isEqualTo("{\"a\": [1, 2]}");
        assertThat(r.get("jb")).isEqualTo("{\"b\": true}");
        assertThat(r.get("ia")).isEqualTo(List.of(1, 2, 3));
        assertThat(r.get("ta")).isEqualTo(Arrays.asList("x", null, "y\"z"));
        assertThat(r.get("m")).isEqualTo("HAPPY");
    }

    @Test
    void nullRoundTripsInEveryColumn() {
        Object[] nulls = new Object[22];
        await(db.execute(
                "INSERT INTO types (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                        + " $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
                nulls));
        Row r = await(db.fetchRow("SELECT " + COLUMNS + " FROM types")).orElseThrow();
        assertThat(r.values()).hasSize(22).containsOnlyNulls();
        assertThat(await(db.fetchValue("SELECT $1::int IS NULL", Boolean.class, (Object) null)))
                .isTrue();
    }

    @Test
    void literalsOfEachTypeReadAsJavaTypes() {
        Row r = await(db.fetchRow("SELECT 1::smallint AS a, 2::bigint AS b, 1.50::numeric AS c, 'x'::char(2) AS d,"
                        + " '2020-01-02'::date AS e, '01:02:03'::time AS f, '2020-01-02 03:04:05'::timestamp AS g,"
                        + " '2020-01-02 03:04:05+02'::timestamptz AS h, '1 mon 2 days 03:00:00'::interval AS i,"
                        + " ARRAY[[1,2],[3,4]] AS j, '{\"k\":1}'::jsonb AS k, 'OK'::mood AS l, NULL::int[] AS m,"
                        + " ARRAY['2020-01-02'::date] AS n, '10:00:00+02'::timetz AS o"))
                .orElseThrow();
        assertThat(r.get("a")).isEqualTo(1);
        assertThat(r.get("b")).isEqualTo(2L);
        assertThat(r.get("c")).isEqualTo(new BigDecimal("1.50"));
        assertThat(r.get("d")).isEqualTo("x ");
        assertThat(r.get("e")).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(r.get("f")).isEqualTo(LocalTime.of(1, 2, 3));
        assertThat(r.get("g")).isEqualTo(LocalDateTime.of(2020, 1, 2, 3, 4, 5));
        assertThat(r.get("h")).isEqualTo(OffsetDateTime.of(2020, 1, 2, 1, 4, 5, 0, ZoneOffset.UTC));
        assertThat(r.get("i")).isEqualTo(Duration.ofDays(32).plusHours(3));
        assertThat(r.get("j")).isEqualTo(List.of(List.of(1, 2), List.of(3, 4)));
        assertThat(r.get("k")).isEqualTo("{\"k\": 1}");
        assertThat(r.get("l")).isEqualTo("OK");
        assertThat(r.get("m")).isNull();
        assertThat(r.get("n")).isEqualTo(List.of(LocalDate.of(2020, 1, 2)));
        assertThat(r.get("o")).isEqualTo(java.time.OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(2)));
    }

    @Test
    void arrayElementsReadAsAColumnOfTheirTypeReads() {
        Row r = await(
                        db.fetchRow(
                                "SELECT ARRAY['2020-01-02 03:04:05.123456+02'::timestamptz, NULL] AS tz,"
                                        + " '2020-01-02 03:04:05.123456+02'::timestamptz AS tz1,"
                                        + " ARRAY['01:02:03.456789'::time] AS t, '01:02:03.456789'::time AS t1,"
                                        + " ARRAY['2020-01-02 03:04:05.5'::timestamp] AS ts, '2020-01-02 03:04:05.5'::timestamp AS ts1,"
                                        + " ARRAY['10:00:00.25+02'::timetz] AS ttz, '10:00:00.25+02'::timetz AS ttz1,"
                                        + " ARRAY['2020-01-02'::date] AS d, '2020-01-02'::date AS d1,"
                                        + " ARRAY[1::smallint, NULL] AS s, 1::smallint AS s1,"
                                        + " ARRAY[ARRAY['2020-01-02 03:04:05+02'::timestamptz], ARRAY['2021-06-07 08:09:10-05'::timestamptz]] AS tz2"))
                .orElseThrow();
        assertThat(r.get("tz1")).isInstanceOf(OffsetDateTime.class);
        assertThat(r.get("tz")).isEqualTo(Arrays.asList(r.get("tz1"), null));
        assertThat(r.get("t1")).isEqualTo(LocalTime.of(1, 2, 3, 456_789_000));
        assertThat(r.get("t")).isEqualTo(List.of(r.get("t1")));
        assertThat(r.get("ts")).isEqualTo(List.of(r.get("ts1")));
        assertThat(r.get("ttz")).isEqualTo(List.of(r.get("ttz1")));
        assertThat(r.get("d")).isEqualTo(List.of(r.get("d1")));
        assertThat(r.get("s1")).isEqualTo(1);
        assertThat(r.get("s")).isEqualTo(Arrays.asList(1, null));
        assertThat(r.get("tz2"))
                .isEqualTo(List.of(
                        List.of(OffsetDateTime.of(2020, 1, 2, 1, 4, 5, 0, ZoneOffset.UTC)),
                        List.of(OffsetDateTime.of(2021, 6, 7, 13, 9, 10, 0, ZoneOffset.UTC))));
    }

    @Test
    void timestamptzReadsAsInstantAndPrimitiveClassesAsWrappers() {
        Instant at = Instant.parse("2024-03-01T10:15:30.123456Z");
        assertThat(await(db.fetchValue("SELECT $1::timestamptz", Instant.class, at)))
                .isEqualTo(at);
        assertThat(await(db.fetchValue("SELECT '2020-01-02 03:04:05+02'::timestamptz", Instant.class)))
                .isEqualTo(Instant.parse("2020-01-02T01:04:05Z"));
        Row r = await(db.fetchRow("SELECT '2020-01-02 03:04:05+02'::timestamptz AS x, 7 AS id"))
                .orElseThrow();
        assertThat(r.get("x", Instant.class)).isEqualTo(Instant.parse("2020-01-02T01:04:05Z"));
        int id = r.get("id", int.class);
        assertThat(id).isEqualTo(7);
        long one = await(db.fetchValue("SELECT 1", long.class));
        assertThat(one).isEqualTo(1L);
        assertThat(db.fetchValue("SELECT 'x'::text", Integer.class))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isExactlyInstanceOf(dev.vtdb.VtdbException.class)
                .withMessageContaining("java.lang.String")
                .withMessageContaining("java.lang.Integer");
    }

    @Test
    void dateAndTimeArraysRoundTrip() {
        List<OffsetDateTime> stamps = List.of(
                OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC),
                OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC));
        List<LocalTime> times = List.of(LocalTime.of(1, 2, 3, 456_789_000), LocalTime.MIDNIGHT);
        List<LocalDateTime> locals = List.of(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000));
        List<LocalDate> dates = List.of(LocalDate.of(2024, 2, 29));
        List<java.time.OffsetTime> zoned =
                List.of(java.time.OffsetTime.of(10, 0, 0, 250_000_000, ZoneOffset.ofHours(2)));
        assertThat((Object) await(db.fetchValue("SELECT $1", List.class, stamps)))
                .isEqualTo(stamps);
        assertThat((Object) await(db.fetchValue("SELECT $1", List.class, times)))
                .isEqualTo(times);
        assertThat((Object) await(db.fetchValue("SELECT $1", List.class, locals)))
                .isEqualTo(locals);
        assertThat((Object) await(db.fetchValue("SELECT $1", List.class, dates)))
                .isEqualTo(dates);
        assertThat((Object) await(db.fetchValue("SELECT $1", List.class, zoned)))
                .isEqualTo(zoned);
        assertThat((Object) await(db.fetchValue("SELECT $1", List.class, List.of((short) 3, (short) -4))))
                .isEqualTo(List.of(3, -4));
    }

    @Test
    void listsAndArraysBindAsPostgresArraysWithInferredElementType() {
        await(db.execute("INSERT INTO types (i4, t) VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
        assertThat(await(db.fetch("SELECT t FROM types WHERE i4 = ANY($1) ORDER BY i4", List.of(1, 3))))
                .extracting(x -> x.get("t"))
                .containsExactly("a", "c");
        assertThat(await(db.fetch("SELECT i4 FROM types WHERE t = ANY($1) ORDER BY i4", (Object) new String[] {"b"})))
                .extracting(x -> x.get("i4"))
                .containsExactly(2);
        assertThat(await(db.fetchValue("SELECT cardinality($1)", Integer.class, (Object) new int[] {4, 5, 6})))
                .isEqualTo(3);
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID());
        assertThat(await(db.fetchValue("SELECT $1", Object.class, ids))).isEqualTo(ids);
        assertThat(await(db.fetchValue("SELECT $1", Object.class, List.of(Mood.OK, Mood.SAD))))
                .isEqualTo(List.of("OK", "SAD"));
        List<Object> empty = new ArrayList<>();
        assertThat(await(db.fetchValue("SELECT cardinality($1::int[])", Integer.class, empty)))
                .isZero();
    }

    @Test
    void javaEnumBindsToPostgresEnumAndTimestamptzTakesInstant() {
        await(db.execute("INSERT INTO types (m, tstz) VALUES ($1, $2)", Mood.SAD, Instant.EPOCH));
        assertThat(await(db.fetchValue("SELECT count(*) FROM types WHERE m = $1", Long.class, Mood.SAD)))
                .isEqualTo(1L);
        assertThat(await(db.fetchValue("SELECT tstz FROM types", OffsetDateTime.class)))
                .isEqualTo(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }
}
