package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vtdb.ConnectionFailedException;
import dev.vtdb.ConnectionLostException;
import dev.vtdb.QueryException;
import dev.vtdb.Row;
import dev.vtdb.testkit.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Connecting: URL forms, charset, time zone, TLS, driver safety defaults and secrets. */
class MySqlConnectIT extends MySqlTestBase {
    private static final String TEXT = "connect_text";
    private static final String TIMES = "connect_times";
    private static final String CANARY = TestServers.CANARY_PASSWORD;

    @Override
    void createTables() {
        await(db.execute("CREATE TABLE " + TEXT + " (id int AUTO_INCREMENT PRIMARY KEY, name varchar(64))"
                + " DEFAULT CHARSET=utf8mb4"));
        await(db.execute("CREATE TABLE " + TIMES + " (id int PRIMARY KEY, dt datetime(6), ts timestamp(6) NULL,"
                + " d date, t time(6))"));
    }

    @Override
    void dropTables() {
        await(db.execute("DROP TABLE IF EXISTS " + TEXT));
        await(db.execute("DROP TABLE IF EXISTS " + TIMES));
    }

    @BeforeEach
    void empty() {
        await(db.execute("DELETE FROM " + TEXT));
        await(db.execute("DELETE FROM " + TIMES));
    }

    @Test
    void sqlAlchemyUrlFormConnects() {
        String url = TestServers.mysqlUrl().replaceFirst("^mysql://", "mysql+pymysql://")
                + (TestServers.mysqlUrl().contains("?") ? "&" : "?") + "connect_timeout=10&charset=utf8mb4";
        MySqlDatabase viaUrl = MySql.connect(url);
        try {
            assertThat(viaUrl.options().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(await(viaUrl.fetchValue("SELECT DATABASE()", String.class)))
                    .isEqualTo(options().database());
        } finally {
            viaUrl.close();
        }
    }

    @Test
    void chineseTextAndEmojiRoundTripExactlyInUtf8mb4() {
        String text = "十六夜咲夜 琪露诺 雾之湖 🌙❄️ café";
        await(db.execute("INSERT INTO " + TEXT + " (name) VALUES (?)", text));
        Row row =
                await(db.fetchRow("SELECT name, HEX(name) AS hex FROM " + TEXT)).orElseThrow();
        assertThat(row.get("name")).isEqualTo(text);
        assertThat(row.getString("hex").toLowerCase(Locale.ROOT))
                .isEqualTo(HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)));
        Row vars = await(db.fetchRow("SELECT @@character_set_client AS client, @@character_set_connection AS conn,"
                        + " @@character_set_results AS results"))
                .orElseThrow();
        assertThat(vars.get("client")).isEqualTo("utf8mb4");
        assertThat(vars.get("conn")).isEqualTo("utf8mb4");
        // Connector/J sets character_set_results to NULL: results come in each column's charset
        assertThat(vars.get("results")).isIn("utf8mb4", null);
        // a literal in the SQL text travels in utf8mb4 too
        assertThat(await(db.fetchValue("SELECT '红魔馆 🌸'", String.class))).isEqualTo("红魔馆 🌸");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedByAUtf8mb4ColumnInStrictMode() {
        byte[] bad = {(byte) 0xC3, 0x28};
        assertThat(await(db.fetchValue("SELECT @@session.sql_mode", String.class)))
                .contains("STRICT_TRANS_TABLES");
        assertThat(db.execute("INSERT INTO " + TEXT + " (name) VALUES (?)", (Object) bad))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.vendorCode()).isEqualTo(1366);
                    // the server says 22007; Connector/J maps 1366 to 22001: a data exception either way
                    assertThat(e.sqlState()).startsWith("22");
                    assertThat(e.getMessage()).contains("Incorrect string value");
                });
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + TEXT, Long.class)))
                .isZero();
        // a SELECT is not a write: the server only warns (1300) and answers '?' for each bad byte
        assertThat(await(db.fetchValue("SELECT CONVERT(? USING utf8mb4)", String.class, (Object) bad)))
                .isEqualTo("?(");
    }

    @Test
    void localDateTimeAndInstantsRoundTripInTheDefaultUtcSession() {
        assertThat(await(db.fetchValue("SELECT @@session.time_zone", String.class)))
                .isEqualTo("+00:00");
        roundTrip(db);
    }

    @Test
    void timestampsRoundTripWithAnotherSessionTimeZone() {
        MySqlDatabase shanghai = MySql.connect(options().toBuilder()
                .poolSize(1)
                .timeZone(ZoneOffset.ofHours(8))
                .build());
        try {
            assertThat(await(shanghai.fetchValue("SELECT @@session.time_zone", String.class)))
                    .isEqualTo("+08:00");
            roundTrip(shanghai);
            // the same instant read through the UTC session
            Row utc = await(db.fetchRow("SELECT ts, UNIX_TIMESTAMP(ts) AS epoch FROM " + TIMES + " WHERE id = 1"))
                    .orElseThrow();
            assertThat(utc.get("ts")).isEqualTo(OffsetDateTime.parse("2024-03-10T01:02:03.456789Z"));
        } finally {
            shanghai.close();
        }
    }

    private void roundTrip(MySqlDatabase on) {
        await(on.execute("DELETE FROM " + TIMES));
        LocalDateTime local = LocalDateTime.of(2024, 3, 10, 9, 30, 15, 123_456_000);
        Instant instant = Instant.parse("2024-03-10T01:02:03.456789Z");
        OffsetDateTime paris = OffsetDateTime.parse("2024-07-01T12:00:00.5+02:00");
        await(on.execute(
                "INSERT INTO " + TIMES + " (id, dt, ts, d, t) VALUES (1, ?, ?, ?, ?)",
                local,
                instant,
                LocalDate.of(2024, 2, 29),
                LocalTime.of(23, 59, 58, 999_000)));
        await(on.execute("INSERT INTO " + TIMES + " (id, ts) VALUES (2, ?)", paris));
        Row row = await(on.fetchRow("SELECT dt, ts, d, t, UNIX_TIMESTAMP(ts) AS epoch FROM " + TIMES + " WHERE id = 1"))
                .orElseThrow();
        assertThat(row.get("dt")).isEqualTo(local);
        assertThat(row.get("ts")).isInstanceOf(OffsetDateTime.class);
        assertThat(((OffsetDateTime) row.get("ts")).toInstant()).isEqualTo(instant);
        assertThat(row.get("ts")).isEqualTo(instant.atOffset(ZoneOffset.UTC));
        assertThat(row.get("epoch", java.math.BigDecimal.class).longValue()).isEqualTo(instant.getEpochSecond());
        assertThat(row.get("d")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(row.get("t")).isEqualTo(LocalTime.of(23, 59, 58, 999_000));
        OffsetDateTime back = await(on.fetchValue("SELECT ts FROM " + TIMES + " WHERE id = 2", OffsetDateTime.class));
        assertThat(back.toInstant()).isEqualTo(paris.toInstant());
    }

    @Test
    void localInfileAndMultiStatementsAreRefused() {
        assertThat(db.execute("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE " + TEXT + " (name)"))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(QueryException.class);
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + TEXT, Long.class)))
                .isZero();
        assertThat(db.execute("INSERT INTO " + TEXT + " (name) VALUES ('a'); DROP TABLE " + TEXT))
                .failsWithin(WAIT)
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        QueryException.class, e -> assertThat(e.vendorCode()).isEqualTo(1064));
        assertThat(await(db.fetchValue("SELECT count(*) FROM " + TEXT, Long.class)))
                .isZero();
    }

    @Test
    void tlsModesAreHonoured() {
        String haveSsl = await(db.fetchValue("SELECT @@have_ssl", String.class));
        for (MySqlOptions.SslMode mode :
                new MySqlOptions.SslMode[] {MySqlOptions.SslMode.REQUIRED, MySqlOptions.SslMode.VERIFY_IDENTITY}) {
            MySqlDatabase tls = MySql.connect(options().toBuilder()
                    .poolSize(1)
                    .sslMode(mode)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build());
            try {
                CompletableFuture<String> cipher = tls.fetchRow("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                        .thenApply(r -> r.orElseThrow().getString("Value"));
                if ("YES".equalsIgnoreCase(haveSsl) && mode == MySqlOptions.SslMode.REQUIRED) {
                    assertThat(cipher).succeedsWithin(WAIT).asString().isNotEmpty();
                } else if (!"YES".equalsIgnoreCase(haveSsl)) {
                    // this server has no TLS: a mode that requires it must not fall back to plain text
                    assertThat(cipher)
                            .failsWithin(WAIT)
                            .withThrowableThat()
                            .havingCause()
                            .isInstanceOf(ConnectionLostException.class)
                            .withMessageContaining("could not get a connection to mysql://");
                }
            } finally {
                tls.close();
            }
        }
    }

    @Test
    void aRefusedLoginOrUnknownDatabaseFailsAtOnceWithSqlStateAndVendorCode() {
        MySqlOptions denied = options().toBuilder()
                .password("wrong-password")
                .poolSize(1)
                .connectTimeout(Duration.ofSeconds(60))
                .commandTimeout(Duration.ofSeconds(60))
                .build();
        try (MySqlDatabase db = MySql.connect(denied)) {
            // well before the 60 s connect timeout: asking again cannot cure a refused login
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("28000");
                        assertThat(e.vendorCode()).isEqualTo(1045);
                        assertThat(e)
                                .hasMessageContaining("vendor code 1045")
                                .hasMessageContaining("Access denied")
                                .hasMessageNotContaining("wrong-password");
                    });
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
        MySqlOptions noDb = options().toBuilder()
                .database("vtdb_no_such_database")
                .poolSize(1)
                .connectTimeout(Duration.ofSeconds(60))
                .build();
        try (MySqlDatabase db = MySql.connect(noDb)) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(
                            ConnectionFailedException.class,
                            e -> assertThat(e.vendorCode()).isEqualTo(1049))
                    .withMessageContaining("vtdb_no_such_database");
        }
    }

    @Test
    void refusedConnectionFailsWithTheServerInTheMessage() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MySqlDatabase nowhere = MySql.connect(options().toBuilder()
                .host("127.0.0.1")
                .port(port)
                .poolSize(1)
                .connectTimeout(Duration.ofSeconds(1))
                .build());
        try {
            assertThat(nowhere.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining("mysql://127.0.0.1:" + port);
        } finally {
            nowhere.close();
        }
    }

    @Test
    void passwordNeverAppearsInMessagesToStringOrLogs() {
        // the suite's connections log in with the canary; a wrong password holding it must not leak either
        String wrongPassword = CANARY + "-but-wrong";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            assertThat(options().toString()).doesNotContain(CANARY);
            MySqlOptions wrong = options().toBuilder()
                    .password(wrongPassword)
                    .poolSize(1)
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            assertThat(wrong.toString()).doesNotContain(CANARY).contains("password=***");
            MySqlDatabase denied = MySql.connect(wrong);
            try {
                assertThat(denied.toString()).doesNotContain(CANARY);
                assertThat(denied.fetchValue("SELECT 1", Integer.class))
                        .failsWithin(WAIT)
                        .withThrowableThat()
                        .havingCause()
                        .isInstanceOf(ConnectionLostException.class)
                        .satisfies(e -> {
                            for (Throwable t = e; t != null; t = t.getCause()) {
                                assertThat(String.valueOf(t.getMessage())).doesNotContain(CANARY);
                                assertThat(t.toString()).doesNotContain(CANARY);
                            }
                        });
            } finally {
                denied.close();
            }
            assertThatThrownBy(() -> MySql.connect("mysql://root:" + CANARY + "@127.0.0.1:notaport/test"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("***")
                    .hasMessageNotContaining(CANARY);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(CANARY));
        assertThat(logs.list)
                .filteredOn(e -> e.getThrowableProxy() != null)
                .extracting(e -> e.getThrowableProxy().getMessage())
                .noneMatch(m -> m != null && m.contains(CANARY));
    }
}
