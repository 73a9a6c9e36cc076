package dev.vtdb.mysql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.HexFormat;

/**
 * PyMySQL's {@code ssl_ca} names a PEM file of CA certificates; Connector/J reads only key stores.
 * This turns such a file into a PKCS12 trust store of its own (owner-only, removed when the JVM
 * exits) with a random password.
 */
public final class PemTrustStore {
    private PemTrustStore() {}

    /** A trust store made from a PEM file. */
    public record Converted(Path path, String password) {}

    /**
     * Tells whether a file holds PEM text ({@code -----BEGIN ...}).
     *
     * @param file the file
     * @return {@code true} for PEM
     */
    public static boolean isPem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(256);
            return new String(head, StandardCharsets.US_ASCII).stripLeading().startsWith("-----BEGIN");
        } catch (IOException e) {
            return false; // the driver then names the unreadable file
        }
    }

    /**
     * Converts the certificates of a PEM file into a PKCS12 trust store.
     *
     * @param pem the PEM file
     * @return the store and its password
     * @throws IllegalArgumentException when the file holds no certificate or cannot be read
     */
    public static Converted convert(Path pem) {
        try {
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("ssl_ca " + pem + " holds no certificate");
            }
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            Path file = Files.createTempFile(
                    "vtdb-mysql-ca-",
                    ".p12",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new Converted(file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "ssl_ca " + pem + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }
}
