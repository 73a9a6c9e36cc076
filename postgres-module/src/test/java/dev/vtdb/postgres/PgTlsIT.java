package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.testkit.Outcome;
import dev.vtdb.testkit.PrivatePostgres;
import dev.vtdb.testkit.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
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
        TestCerts.ca(dir, "ca", "vtdb-test-ca");
        TestCerts.ca(dir, "other", "vtdb-other-ca");
        TestCerts.signed(dir, "server", "/CN=127.0.0.1", "IP:127.0.0.1");
        TestCerts.signed(dir, "client", "/CN=" + CERT_ROLE, null);
        // the client key under a passphrase, in the PKCS#12 file pgjdbc reads (alias "user")
        TestCerts.openssl(
                dir,
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
            TestCerts.run(dir, "chown", "postgres", dir.resolve("server.key").toString());
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
        assertRefused(verifyFull("localhost", "ca.pem"));
    }

    @Test
    void verifyFullRefusesAServerAnotherCaSigned() {
        assertRefused(verifyFull("127.0.0.1", "other.pem"));
    }

    private static void assertRefused(String dsn) {
        try (PgDatabase db = Postgres.connect(dsn)) {
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
}
