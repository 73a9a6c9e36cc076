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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS end to end against one private server whose certificate a test CA signed for 127.0.0.1:
 * {@code sslmode=verify-full} connects, and refuses a host the certificate does not name and a
 * server another CA signed; a client certificate whose key is under a passphrase ({@code
 * sslkey}, {@code sslpassword} in the DSN) logs in a role the server authenticates by certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CERT_ROLE = "vtdb_tls";
    private static final String PASSPHRASE = "Tls-Key-Pass-7";

    private PrivatePostgres pg;
    private Path dir;

    @BeforeAll
    void startServerWithTls() throws Exception {
        dir = Files.createTempDirectory("vtdb-pgtls-");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=vtdb-test-ca",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=vtdb-other-ca",
                "-keyout",
                "other.key",
                "-out",
                "other.pem");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        signed("server", "/CN=127.0.0.1", "-extfile", "san.cnf");
        signed("client", "/CN=" + CERT_ROLE);
        // the client key under a passphrase, in the PKCS#12 file pgjdbc reads (alias "user")
        openssl(
                "pkcs12",
                "-export",
                "-name",
                "user",
                "-inkey",
                "client.key",
                "-in",
                "client.crt",
                "-out",
                "client.p12",
                "-passout",
                "pass:" + PASSPHRASE);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        if ("root".equals(System.getProperty("user.name"))) {
            // the private server runs as postgres and must own its key
            run("chown", "postgres", dir.resolve("server.key").toString());
        }
        pg = PrivatePostgres.start();
        try (PgDatabase admin = Postgres.connectOne(pg.url())) {
            PgITBase.await(admin.execute("CREATE ROLE " + CERT_ROLE + " LOGIN"));
            String hba = PgITBase.await(admin.fetchValue("SHOW hba_file", String.class));
            PgITBase.await(admin.execute("COPY (SELECT l FROM (VALUES (1, 'local all all trust'),"
                    + " (2, 'hostssl all " + CERT_ROLE + " 127.0.0.1/32 cert'),"
                    + " (3, 'host all postgres 127.0.0.1/32 trust')) v(n, l) ORDER BY n) TO '" + hba + "'"));
            PgITBase.await(admin.execute("ALTER SYSTEM SET ssl_cert_file = '" + dir.resolve("server.crt") + "'"));
            PgITBase.await(admin.execute("ALTER SYSTEM SET ssl_key_file = '" + dir.resolve("server.key") + "'"));
            PgITBase.await(admin.execute("ALTER SYSTEM SET ssl_ca_file = '" + dir.resolve("ca.pem") + "'"));
            PgITBase.await(admin.execute("ALTER SYSTEM SET ssl = on"));
            PgITBase.await(admin.fetchValue("SELECT pg_reload_conf()", Boolean.class));
        }
        // the postmaster turns TLS on when it handles the reload signal
        assertThat(Outcome.eventually(WAIT, () -> {
                    try (PgDatabase db = Postgres.connectOne(verifyFull("127.0.0.1", "ca.pem"))) {
                        return db.fetchValue("SELECT 1", Integer.class)
                                .handle((v, e) -> e == null)
                                .join();
                    }
                }))
                .as("the server speaks TLS")
                .isTrue();
    }

    @AfterAll
    void stopServer() throws IOException {
        if (pg != null) {
            pg.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String verifyFull(String host, String ca) {
        return "postgres://postgres@" + host + ":" + pg.port() + "/postgres?connect_timeout=2&sslmode=verify-full"
                + "&sslrootcert=" + dir.resolve(ca);
    }

    @Test
    void verifyFullConnectsOverTls() {
        try (PgDatabase db = Postgres.connect(verifyFull("127.0.0.1", "ca.pem"))) {
            assertThat(db.fetchValue("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", Boolean.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(true);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void verifyFullRefusesAHostTheCertificateDoesNotName() {
        try (PgDatabase db = Postgres.connect(verifyFull("localhost", "ca.pem"))) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void verifyFullRefusesAServerAnotherCaSigned() {
        try (PgDatabase db = Postgres.connect(verifyFull("127.0.0.1", "other.pem"))) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void aClientKeyUnderThePassphraseOfTheDsnLogsInByCertificate() {
        String dsn = verifyFull("127.0.0.1", "ca.pem").replace("postgres@", CERT_ROLE + "@") + "&sslkey="
                + dir.resolve("client.p12") + "&sslpassword=";
        try (PgDatabase db = Postgres.connect(dsn + PASSPHRASE)) {
            assertThat(db.fetchValue("SELECT current_user", String.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(CERT_ROLE);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
        try (PgDatabase wrong = Postgres.connect(dsn + "not-the-passphrase")) {
            assertThat(wrong.fetchValue("SELECT 1", Integer.class))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageNotContaining("not-the-passphrase");
        }
    }

    /** A key and a certificate the test CA signs. */
    private void signed(String name, String subject, String... extra) throws Exception {
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                subject,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        List<String> sign = new ArrayList<>(List.of(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                name + ".crt"));
        sign.addAll(List.of(extra));
        openssl(sign.toArray(String[]::new));
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
