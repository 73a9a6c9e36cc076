package dev.vtdb.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;

/**
 * A local 3-master Redis Cluster for the tests: three {@code redis-server --cluster-enabled yes}
 * on spare ports in temp dirs, joined with {@code redis-cli --cluster create}.
 */
final class LocalCluster implements AutoCloseable {
    private final List<PrivateRedis> nodes = new ArrayList<>();

    private LocalCluster() {}

    static LocalCluster start() {
        LocalCluster c = new LocalCluster();
        try {
            for (int port : ports(3)) {
                c.nodes.add(PrivateRedis.start(
                        port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf"));
            }
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (PrivateRedis n : c.nodes) {
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            c.nodes.get(0).dir().resolve("cluster-create.log").toFile())
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("redis-cli --cluster create failed; see "
                        + c.nodes.get(0).dir().resolve("cluster-create.log"));
            }
            c.awaitOk();
            return c;
        } catch (IOException e) {
            c.close();
            throw new AssertionError("cannot run redis-cli (install redis-tools): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new AssertionError("interrupted while creating the cluster", e);
        } catch (RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /** Ports whose cluster bus port (+10000) is free too. */
    private static List<Integer> ports(int n) {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < n) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 29_000);
            if (!ports.contains(port) && free(port) && free(port + 10_000)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitOk() {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (PrivateRedis n : nodes) {
            try (Jedis j = new Jedis("127.0.0.1", n.port())) {
                while (!j.clusterInfo().contains("cluster_state:ok")) {
                    if (System.nanoTime() > until) {
                        throw new AssertionError("cluster did not reach cluster_state:ok: " + j.clusterInfo());
                    }
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // polls the servers
                }
            }
        }
    }

    List<String> seeds() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList();
    }

    String seedUrl() {
        return "redis://127.0.0.1:" + nodes.get(0).port();
    }

    @Override
    public void close() {
        for (PrivateRedis n : nodes) {
            n.close();
        }
    }
}
