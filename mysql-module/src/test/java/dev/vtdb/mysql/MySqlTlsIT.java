package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.ConnectionFailedException;
import dev.vtdb.testkit.PrivateMariaDb;
import dev.vtdb.testkit.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS against a private MariaDB whose certificate, signed by a CA made for the test, names only
 * {@code localhost}: VERIFY_IDENTITY connects by that name, refuses {@code 127.0.0.1} (the
 * certificate does not name it) and a CA it was not given; VERIFY_CA accepts the address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path dir;
    private PrivateMariaDb server;

    @BeforeAll
    void startTlsServer() throws Exception {
        dir = Files.createTempDirectory("vtdb-mysql-tls-");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=vtdb test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "server.key",
                "-out",
                "server.csr");
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "san.ext",
                "-out",
                "server.pem");
        run(List.of(
                "keytool",
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                "ca.pem",
                "-keystore",
                "ca.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit"));
        server = PrivateMariaDb.start(List.of(
                "--ssl-ca=" + dir.resolve("ca.pem"),
                "--ssl-cert=" + dir.resolve("server.pem"),
                "--ssl-key=" + dir.resolve("server.key")));
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(cmd.getFirst() + " failed (needs openssl and the JDK's keytool): " + out);
            }
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + cmd.getFirst() + " (needs openssl and the JDK's keytool): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private MySqlOptions.Builder options(String host) {
        return MySqlOptions.builder()
                .host(host)
                .port(server.port())
                .user(TestServers.CANARY_USER)
                .password(TestServers.CANARY_PASSWORD)
                .database("test")
                .poolSize(1)
                .connectTimeout(Duration.ofSeconds(60));
    }

    private static CompletableFuture<String> cipher(MySqlDatabase db) {
        return db.fetchRow("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                .thenApply(r -> r.orElseThrow().getString("Value"));
    }

    @Test
    void verifyIdentityConnectsByTheNameTheCertificateHolds() {
        try (MySqlDatabase db = MySql.connect(options("localhost")
                .sslMode(MySqlOptions.SslMode.VERIFY_IDENTITY)
                .trustStore(dir.resolve("ca.p12").toString(), "PKCS12", "changeit")
                .build())) {
            assertThat(cipher(db)).succeedsWithin(WAIT).asString().isNotBlank();
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
    }

    @Test
    void aUrlWithPyMySqlsPemSslCaVerifiesIdentity() {
        String url = "mysql+pymysql://" + TestServers.CANARY_USER + ":" + TestServers.CANARY_PASSWORD + "@localhost:"
                + server.port() + "/test?ssl_mode=verify_identity&ssl_ca=" + dir.resolve("ca.pem");
        try (MySqlDatabase db = MySql.connect(url)) {
            assertThat(cipher(db)).succeedsWithin(WAIT).asString().isNotBlank();
        }
    }

    @Test
    void verifyIdentityRefusesAnAddressTheCertificateDoesNotNameAtOnce() {
        try (MySqlDatabase db = MySql.connect(options("127.0.0.1")
                .sslMode(MySqlOptions.SslMode.VERIFY_IDENTITY)
                .trustStore(dir.resolve("ca.pem").toString(), null, null)
                .build())) {
            // a certificate that does not verify is no reason to wait out the 60 s connect timeout
            assertThat(cipher(db))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionFailedException.class)
                    .withMessageContaining("TLS")
                    .withMessageNotContaining(TestServers.CANARY_PASSWORD);
            assertThat(db.awaitIdle(WAIT)).isTrue();
        }
        try (MySqlDatabase db = MySql.connect(options("127.0.0.1")
                .sslMode(MySqlOptions.SslMode.VERIFY_CA)
                .trustStore(dir.resolve("ca.pem").toString(), null, null)
                .build())) {
            assertThat(cipher(db)).as("VERIFY_CA checks the chain only").succeedsWithin(WAIT);
        }
    }

    @Test
    void verifyIdentityRefusesACertificateFromAnUnknownCa() {
        try (MySqlDatabase db = MySql.connect(options("localhost")
                .sslMode(MySqlOptions.SslMode.VERIFY_IDENTITY)
                .build())) {
            assertThat(cipher(db))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(ConnectionFailedException.class)
                    .withMessageContaining("TLS");
        }
    }
}
