package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.testkit.TestCerts;
import dev.vtdb.testkit.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} against a private TLS redis-server with a self-signed certificate made by
 * {@code openssl}, trusted through {@link RedisOptions.Builder#sslSocketFactory} (the JVM's trust
 * store is left alone).
 */
class RedisTlsIT {
    private static final String CANARY = TestServers.CANARY_PASSWORD;
    private static PrivateRedis server;
    private static int tlsPort;
    private static SSLSocketFactory trusting;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path dir = Files.createTempDirectory("vtdb-redis-tls-");
        selfSigned(dir, "cert", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        tlsPort = PrivateRedis.sparePort();
        server = PrivateRedis.start(tlsArgs(dir, "cert", tlsPort));
        trusting = trusting(dir.resolve("cert.pem"));
    }

    /** Makes {@code name.pem} and {@code name-key.pem} in {@code dir} with {@code openssl}. */
    private static void selfSigned(Path dir, String name, String subjectAltName) {
        TestCerts.openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                name + "-key.pem",
                "-out",
                name + ".pem",
                "-subj",
                "/CN=vtdb-test",
                "-addext",
                subjectAltName);
    }

    private static String[] tlsArgs(Path dir, String name, int port) {
        return new String[] {
            "--tls-port", String.valueOf(port),
            "--tls-cert-file", dir.resolve(name + ".pem").toString(),
            "--tls-key-file", dir.resolve(name + "-key.pem").toString(),
            "--tls-ca-cert-file", dir.resolve(name + ".pem").toString(),
            "--tls-auth-clients", "no"
        };
    }

    private static SSLSocketFactory trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    @AfterAll
    static void stopTlsServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static String url() {
        return "rediss://" + TestServers.CANARY_USER + ":" + CANARY + "@127.0.0.1:" + tlsPort + "/1";
    }

    @Test
    void redissWithATrustedCaRunsCommandsPipelinesAndTransactionsOverTls() {
        try (RedisClient redis = Redis.connect(RedisOptions.fromUrl(url()).toBuilder()
                .sslSocketFactory(trusting)
                .build())) {
            assertThat(redis.set("tls:k", "over tls")).succeedsWithin(WAIT);
            assertThat(redis.get("tls:k")).succeedsWithin(WAIT).isEqualTo("over tls");
            assertThat(redis.pipeline(p -> p.incr("tls:n")))
                    .succeedsWithin(WAIT)
                    .satisfies(r -> assertThat(r.get(0)).isEqualTo(1L));
            assertThat(redis.transaction(List.of("tls:n"), t -> t.incr("tls:n")))
                    .succeedsWithin(WAIT)
                    .satisfies(r -> assertThat(r.get(0)).isEqualTo(2L));
            assertThat(redis.toString()).doesNotContain(CANARY);
            RedisTests.assertIdle(redis);
        }
        // the same server's plain port sees what was written over TLS
        try (RedisClient plain = Redis.connect(
                RedisOptions.fromUrl(server.url()).toBuilder().database(1).build())) {
            assertThat(plain.get("tls:k")).succeedsWithin(WAIT).isEqualTo("over tls");
            RedisTests.assertIdle(plain);
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("vtdb-redis-tls-other-");
        selfSigned(dir, "other", "subjectAltName=DNS:example.invalid");
        int port = PrivateRedis.sparePort();
        try (PrivateRedis otherServer = PrivateRedis.start(tlsArgs(dir, "other", port))) {
            RedisOptions o = RedisOptions.fromUrl(url().replace(":" + tlsPort + "/", ":" + port + "/")).toBuilder()
                    .sslSocketFactory(trusting(dir.resolve("other.pem")))
                    .build();
            assertThat(otherServer.answers()).isTrue();
            // the CA is trusted, but the certificate does not name 127.0.0.1: the hostname is checked
            assertThatThrownBy(() -> Redis.connect(o))
                    .isInstanceOf(ConnectionLostException.class)
                    .hasMessageContaining("cannot connect to redis at 127.0.0.1:" + port)
                    .hasMessageContaining("127.0.0.1 found")
                    .hasMessageNotContaining(CANARY);
        }
    }

    @Test
    void anUntrustedCertificateFailsTheConnectClearly() {
        // the JVM's default trust store does not know the self-signed certificate
        assertThatThrownBy(() -> Redis.connect(url()))
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("cannot connect to redis at 127.0.0.1:" + tlsPort)
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void plainRedisToTheTlsPortFailsWithinTheConnectTimeout() {
        RedisOptions plain = RedisOptions.fromUrl(url().replace("rediss://", "redis://")).toBuilder()
                .connectTimeout(Duration.ofMillis(500))
                .build();
        assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> Redis.connect(plain)))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(ConnectionLostException.class)
                .withMessageContaining("127.0.0.1:" + tlsPort)
                .withMessageNotContaining(CANARY);
    }
}
