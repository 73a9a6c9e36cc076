package dev.vtdb.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away MariaDB server for destructive tests: mariadb-install-db into a temporary datadir
 * and mariadbd on a spare loopback port (with {@code --user=root} when run as root). Never touches
 * the shared server.
 */
public final class PrivateMariaDb implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final List<String> serverArgs;
    private Process process;

    private PrivateMariaDb(Path dir, int port, List<String> serverArgs) {
        this.dir = dir;
        this.port = port;
        this.serverArgs = List.copyOf(serverArgs);
    }

    /**
     * Creates and starts a private server with an empty root password, a {@code test} database and
     * the user {@link TestServers#CANARY_USER} that {@link #url()} logs in as.
     *
     * @return the running server
     */
    public static PrivateMariaDb start() {
        return start(List.of());
    }

    /**
     * Creates and starts a private server as {@link #start()} does, with more server options (e.g.
     * {@code --ssl-cert=...}).
     *
     * @param serverArgs options added to mariadbd's command line
     * @return the running server
     */
    public static PrivateMariaDb start(List<String> serverArgs) {
        try {
            Path dir = Files.createTempDirectory("vtdb-mariadb-");
            PrivateMariaDb db = new PrivateMariaDb(dir, PrivatePostgres.freePort(), serverArgs);
            List<String> install = new ArrayList<>(List.of(
                    "mariadb-install-db",
                    "--datadir=" + dir.resolve("data"),
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                    "--no-defaults"));
            if ("root".equals(System.getProperty("user.name"))) {
                install.add("--user=root");
            }
            run(install);
            Files.createDirectories(dir.resolve("data").resolve("test"));
            db.startServer();
            TestServers.createMySqlCanaryUser("127.0.0.1", db.port);
            return db;
        } catch (IOException e) {
            throw new AssertionError("cannot create a private MariaDB (needs mariadb-server installed): " + e, e);
        }
    }

    /**
     * Returns a URL for the private server's {@code test} database, as {@link
     * TestServers#CANARY_USER} with {@link TestServers#CANARY_PASSWORD}.
     *
     * @return the URL
     */
    public String url() {
        return "mysql://" + TestServers.CANARY_USER + ":" + TestServers.CANARY_PASSWORD + "@127.0.0.1:" + port
                + "/test";
    }

    /**
     * Returns the server's port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /** Starts the server (again) and waits until it accepts connections. */
    public void startServer() {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/sbin/mariadbd",
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--skip-log-bin",
                "--innodb-buffer-pool-size=32M",
                "--log-error=" + dir.resolve("error.log")));
        cmd.addAll(serverArgs);
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--user=root");
        }
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot start mariadbd: " + e, e);
        }
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!TestServers.answers("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new AssertionError(
                        "private mariadbd did not start on port " + port + "; see " + dir.resolve("error.log"));
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Stops the server.
     *
     * @param kill {@code true} for SIGKILL (crash), {@code false} for a clean shutdown
     */
    public void stopServer(boolean kill) {
        if (process == null) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stopServer(true);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("command failed: " + String.join(" ", command) + "\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
