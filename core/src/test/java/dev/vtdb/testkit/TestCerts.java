package dev.vtdb.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for the TLS tests, made with the machine's {@code openssl} in a folder of the
 * test's: a CA ({@code name.pem}, {@code name.key}) and certificates it signs ({@code name.crt},
 * {@code name.key}), valid two days.
 */
public final class TestCerts {
    private TestCerts() {}

    /**
     * Makes a self-signed CA.
     *
     * @param dir the folder
     * @param name file name stem: {@code name.pem} and {@code name.key}
     * @param commonName the CA's CN
     */
    public static void ca(Path dir, String name, String commonName) {
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + commonName,
                "-keyout",
                name + ".key",
                "-out",
                name + ".pem");
    }

    /**
     * Makes a key and a certificate signed by the CA {@code ca.pem}/{@code ca.key} in the folder.
     *
     * @param dir the folder
     * @param name file name stem: {@code name.key} and {@code name.crt}
     * @param subject the certificate's subject, e.g. {@code /CN=localhost}
     * @param subjectAltName e.g. {@code DNS:localhost} or {@code IP:127.0.0.1}, or {@code null}
     */
    public static void signed(Path dir, String name, String subject, String subjectAltName) {
        openssl(
                dir,
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
        if (subjectAltName != null) {
            try {
                Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\n");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            sign.addAll(List.of("-extfile", name + ".ext"));
        }
        openssl(dir, sign.toArray(String[]::new));
    }

    /**
     * Runs {@code openssl} in the folder.
     *
     * @param dir the folder
     * @param args its arguments
     */
    public static void openssl(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        run(dir, cmd.toArray(String[]::new));
    }

    /**
     * Runs a command in the folder and fails the test, with its output, unless it succeeds.
     *
     * @param dir the folder
     * @param cmd the command and its arguments
     */
    public static void run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed (the TLS tests need openssl and the"
                        + " JDK's keytool):\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + cmd[0] + " (the TLS tests need openssl and the JDK's keytool): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
