package dev.vtdb.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for destructive tests (restart, kill): initdb in a temporary
 * directory and pg_ctl on a spare loopback port, run as the {@code postgres} OS user when the test
 * runs as root (PostgreSQL refuses to run as root). Never touches the shared server.
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String bin;

    private PrivatePostgres(Path dir, int port, String bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    /**
     * Creates and starts a private server.
     *
     * @return the running server
     */
    public static PrivatePostgres start() {
        String bin = findBin();
        try {
            Path dir = Files.createTempDirectory("vtdb-pg-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            int port = freePort();
            PrivatePostgres pg = new PrivatePostgres(dir, port, bin);
            pg.run(List.of(
                    bin + "/initdb",
                    "-D",
                    dir.resolve("data").toString(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync"));
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new AssertionError("cannot create a private PostgreSQL: " + e, e);
        }
    }

    /**
     * Returns a DSN for the private server's {@code postgres} database, with {@link
     * TestServers#CANARY_PASSWORD} (trust auth: accepted and ignored).
     *
     * @return the DSN
     */
    public String url() {
        return "postgres://postgres:" + TestServers.CANARY_PASSWORD + "@127.0.0.1:" + port + "/postgres";
    }

    /**
     * Returns the server's port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /** Starts the server (again) and waits until it accepts connections. */
    public void startServer() {
        run(List.of(
                bin + "/pg_ctl",
                "-D",
                dir.resolve("data").toString(),
                "-w",
                "-t",
                "60",
                "-l",
                dir.resolve("log").toString(),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
    }

    /**
     * Stops the server.
     *
     * @param mode {@code fast} (disconnect clients) or {@code immediate} (crash-like)
     */
    public void stopServer(String mode) {
        run(List.of(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-t", "60", "-m", mode, "stop"));
    }

    @Override
    public void close() {
        try {
            stopServer("immediate");
        } catch (AssertionError ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("command failed: " + String.join(" ", full) + "\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + full + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + full, e);
        }
    }

    private static String findBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .map(Path::toString)
                    .findFirst()
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(
                    "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql;"
                            + " install the postgresql package to run destructive tests",
                    e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
