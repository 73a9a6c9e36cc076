package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.testkit.Outcome;
import dev.vtdb.testkit.PrivatePostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connecting as libpq does, in a real environment: the PG* variables, {@code PGPASSFILE} and
 * {@code $HOME/.pgpass} as a forked JVM reads them, and a DSN password holding a raw {@code ?} and
 * {@code @}, against one private server that wants a SCRAM password from every role but {@code
 * postgres}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgConnectIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROLE = "vtdb_connect";
    /** With the characters a DSN parser must not split at. */
    private static final String PASSWORD = "Conn?pw@x9";

    private PrivatePostgres pg;
    private Path tmp;

    @BeforeAll
    void startServer() throws IOException {
        tmp = Files.createTempDirectory("vtdb-pgconnect-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        pg = PrivatePostgres.start();
        try (PgDatabase admin = Postgres.connectOne(pg.url())) {
            PgITBase.await(admin.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'"));
            String hba = PgITBase.await(admin.fetchValue("SHOW hba_file", String.class));
            PgITBase.await(admin.execute("COPY (SELECT l FROM (VALUES (1, 'local all all trust'),"
                    + " (2, 'host all postgres 127.0.0.1/32 trust'),"
                    + " (3, 'host all all 127.0.0.1/32 scram-sha-256')) v(n, l) ORDER BY n) TO '" + hba + "'"));
            PgITBase.await(admin.fetchValue("SELECT pg_reload_conf()", Boolean.class));
        }
        // the postmaster reads the new pg_hba.conf when it handles the reload signal
        assertThat(Outcome.eventually(WAIT, () -> {
                    try (PgDatabase nopw = Postgres.connectOne(dsn(ROLE) + "?connect_timeout=5")) {
                        return nopw.fetchValue("SELECT 1", Integer.class)
                                .handle((v, e) -> e != null)
                                .join();
                    }
                }))
                .as("the server asks for a password")
                .isTrue();
    }

    @AfterAll
    void stopServer() throws IOException {
        if (pg != null) {
            pg.close();
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String dsn(String userInfo) {
        return "postgres://" + userInfo + "@127.0.0.1:" + pg.port() + "/postgres";
    }

    @Test
    void aDsnPasswordWithARawQuestionMarkAndAtSignConnects() {
        try (PgDatabase db = Postgres.connect(dsn(ROLE + ":" + PASSWORD) + "?application_name=raw")) {
            assertThat(db.fetchValue("SELECT current_user", String.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(ROLE);
            assertThat(db.toString()).doesNotContain("pw@x9").doesNotContain("Conn?");
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
        try (PgDatabase wrong = Postgres.connect(dsn(ROLE + ":Conn?pw@x8") + "?connect_timeout=5")) {
            assertThat(wrong.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageNotContaining("pw@x8");
        }
    }

    @Test
    void environmentVariablesFillAnEmptyDsn() throws Exception {
        assertThat(fork(
                        Map.of(
                                "PGHOST",
                                "127.0.0.1",
                                "PGPORT",
                                String.valueOf(pg.port()),
                                "PGUSER",
                                ROLE,
                                "PGPASSWORD",
                                PASSWORD,
                                "PGDATABASE",
                                "postgres",
                                "PGAPPNAME",
                                "from-env"),
                        "postgresql://"))
                .isEqualTo("OK " + ROLE + "@postgres from-env");
    }

    @Test
    void variablesForPartsTheDsnGivesAreNeitherUsedNorChecked() throws Exception {
        // a Unix-socket PGHOST, a bad PGPORT and PGSSLMODE: all for parts the DSN names itself
        assertThat(fork(
                        Map.of(
                                "PGHOST", "/var/run/postgresql",
                                "PGPORT", "notaport",
                                "PGSSLMODE", "sometimes",
                                "PGPASSWORD", PASSWORD),
                        dsn(ROLE) + "?sslmode=disable&application_name=dsn-wins"))
                .isEqualTo("OK " + ROLE + "@postgres dsn-wins");
    }

    @Test
    void passwordFileNamedByPgpassfile() throws Exception {
        Path file = passFile(tmp.resolve("pgpass-env"));
        assertThat(fork(Map.of("PGPASSFILE", file.toString()), dsn(ROLE) + "?application_name=passfile"))
                .isEqualTo("OK " + ROLE + "@postgres passfile");
    }

    @Test
    void passwordFileUnderHomeAsLibpqFindsIt() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        passFile(home.resolve(".pgpass"));
        // the JVM's user.home is the account's home, not $HOME: libpq reads $HOME
        assertThat(fork(Map.of("HOME", home.toString()), dsn(ROLE) + "?application_name=home"))
                .isEqualTo("OK " + ROLE + "@postgres home");
    }

    private Path passFile(Path file) throws IOException {
        Files.writeString(
                file,
                "# other servers first\n127.0.0.1:1:*:*:nope\n127.0.0.1:" + pg.port() + ":postgres:" + ROLE + ":"
                        + PASSWORD + "\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Runs {@link PgConnectMain} in a JVM with no PG* variables but these, and returns its report. */
    private static String fork(Map<String, String> env, String dsn) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp, PgConnectMain.class.getName(), dsn);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("forked JVM finished").isTrue();
        return out.lines()
                .filter(l -> l.startsWith("OK") || l.startsWith("FAIL"))
                .findFirst()
                .orElse("NO REPORT: " + out);
    }
}
