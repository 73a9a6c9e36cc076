package dev.vtdb.redis;

import dev.vtdb.testkit.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server on a spare port in a temp dir, for tests that restart, slow down or
 * cluster a server (never the shared one). Needs {@code redis-server} on the PATH. Besides the
 * password-less {@code default} user it has {@link TestServers#CANARY_USER} with {@link
 * TestServers#CANARY_PASSWORD}, which {@link #url()} logs in as.
 */
final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> extra;
    private Process process;

    private PrivateRedis(int port, Path dir, List<String> extra) {
        this.port = port;
        this.dir = dir;
        this.extra = extra;
    }

    /**
     * Starts a server with DEBUG enabled.
     *
     * @param extraArgs more redis-server arguments
     * @return the running server
     */
    static PrivateRedis start(String... extraArgs) {
        return start(sparePort(), extraArgs);
    }

    /**
     * Starts a server on a given port.
     *
     * @param port the port
     * @param extraArgs more redis-server arguments
     * @return the running server
     */
    static PrivateRedis start(int port, String... extraArgs) {
        try {
            PrivateRedis r = new PrivateRedis(port, Files.createTempDirectory("vtdb-redis-it-"), List.of(extraArgs));
            r.startProcess();
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot create a temp dir for a private redis-server", e);
        }
    }

    static int sparePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no spare port", e);
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://" + TestServers.CANARY_USER + ":" + TestServers.CANARY_PASSWORD + "@127.0.0.1:" + port + "/0";
    }

    Path dir() {
        return dir;
    }

    void startProcess() {
        List<String> cmd = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--enable-debug-command",
                "yes",
                "--daemonize",
                "no",
                "--user",
                TestServers.CANARY_USER,
                "on",
                ">" + TestServers.CANARY_PASSWORD,
                "~*",
                "&*",
                "+@all"));
        cmd.addAll(extra);
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot start redis-server (install it: apt-get install redis-server): " + e.getMessage(), e);
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > until) {
                throw new AssertionError("private redis-server on port " + port + " did not start; see "
                        + dir.resolve("redis-" + port + ".log"));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(20).toNanos()); // polling an external process
        }
    }

    boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server (like a crash) and waits for it to be gone. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir left behind: harmless
        }
    }
}
