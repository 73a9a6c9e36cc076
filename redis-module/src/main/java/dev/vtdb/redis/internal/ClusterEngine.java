package dev.vtdb.redis.internal;

import dev.vtdb.ConnectionLostException;
import dev.vtdb.internal.Secrets;
import dev.vtdb.redis.RedisCommandException;
import dev.vtdb.redis.RedisOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The engine for Redis Cluster: workers write each batch as a Jedis {@link ClusterPipeline}
 * (grouped per node), dedicated calls borrow a connection to the node owning their key's slot.
 *
 * <p>{@code JedisCluster} is deprecated in Jedis 8 in favour of its new cluster client, but it is
 * still the documented way to get per-slot connections and cluster pipelines.
 */
@SuppressWarnings("deprecation")
public final class ClusterEngine extends Engine {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEngine.class);

    private final JedisCluster cluster;
    private final List<String> seeds;
    private final ExecutorService syncExecutor;

    private ClusterEngine(RedisOptions options, List<String> seeds, JedisCluster cluster) {
        super(options, "redis cluster " + seeds);
        this.cluster = cluster;
        this.seeds = seeds;
        this.syncExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("vtdb-redis-cluster-sync-", 1).factory());
    }

    /**
     * Discovers the cluster through its seed nodes and starts the workers.
     *
     * @param seeds {@code host:port} of one or more nodes
     * @param options login, timeouts, pool sizes
     * @return the started engine
     * @throws ConnectionLostException when no seed node answers
     */
    public static ClusterEngine start(List<String> seeds, RedisOptions options) {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String s : seeds) {
            try {
                nodes.add(HostAndPort.from(s));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("seed node must be host:port but was '" + s + "'", e);
            }
        }
        // each seed's handshake is bounded by the connect timeout (Jedis' slot discovery would wait
        // the socket timeout on a node that accepts and never answers); the cluster is asked only
        // through the seeds that answered
        Set<HostAndPort> answering = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        for (HostAndPort node : nodes) {
            long began = System.nanoTime();
            try (Connection probe =
                    new Connection(node, StandaloneEngine.clientConfig(options, options.connectTimeout()))) {
                probe.ping();
                answering.add(node);
            } catch (RuntimeException e) {
                failures.add(node + ": " + probeFailure(e, options, System.nanoTime() - began));
            }
        }
        if (answering.isEmpty()) {
            throw new ConnectionLostException(
                    "redis cluster " + seeds + ": cannot connect to any seed node (" + String.join("; ", failures)
                            + ")",
                    null);
        }
        JedisCluster cluster;
        try {
            cluster = new JedisCluster(
                    answering,
                    StandaloneEngine.clientConfig(options),
                    5,
                    StandaloneEngine.poolConfig(options, options.workers() + options.poolSize()));
        } catch (RuntimeException e) {
            throw new ConnectionLostException(
                    "redis cluster " + seeds + ": cannot connect to any seed node (" + Secrets.mask(e.getMessage())
                            + ")",
                    e);
        }
        ClusterEngine engine = new ClusterEngine(options, List.copyOf(seeds), cluster);
        // load Jedis' pipeline classes and open a connection per node on this (platform or caller)
        // thread: class initialisation inside a worker would pin its virtual thread
        try (ClusterPipeline warmUp = cluster.pipelined(engine.syncExecutor)) {
            for (int i = 0; i < 16; i++) {
                warmUp.exists("vtdb:warm-up{" + i + "}");
            }
            warmUp.sync();
        } catch (RuntimeException e) {
            engine.closeResources();
            throw new ConnectionLostException(
                    engine.name() + ": cannot reach the cluster's nodes (" + Secrets.mask(e.getMessage()) + ")", e);
        }
        engine.startWorkers();
        return engine;
    }

    private static String probeFailure(RuntimeException e, RedisOptions options, long elapsedNanos) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return "no answer within the connect timeout (elapsed " + elapsedNanos / 1_000_000
                        + "ms, connectTimeout " + options.connectTimeout().toMillis() + "ms)";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Secrets.mask(String.valueOf(root.getMessage() != null ? root.getMessage() : root));
    }

    @Override
    protected Lane newLane() {
        return new Lane() {
            private ClusterPipeline pipeline;

            @Override
            public PipeliningBase begin() {
                pipeline = cluster.pipelined(syncExecutor);
                return pipeline;
            }

            @Override
            public void sync() {
                pipeline.sync();
            }

            @Override
            public void end(boolean failed) {
                ClusterPipeline p = pipeline;
                pipeline = null;
                if (p != null) {
                    try {
                        p.close();
                    } catch (RuntimeException e) {
                        LOG.debug("closing a cluster pipeline failed", e);
                    }
                }
            }

            @Override
            public void close() {
                end(true);
            }
        };
    }

    @Override
    protected Connection borrow(String slotKey) {
        if (slotKey != null) {
            return cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(slotKey));
        }
        RuntimeException last = null;
        for (ConnectionPool pool : cluster.getClusterNodes().values()) {
            try {
                return pool.getResource();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last != null ? last : new ConnectionLostException(name() + ": no cluster node known", null);
    }

    /**
     * Borrows a connection to one node.
     *
     * @param hostPort the node's {@code host:port}
     * @return a pooled connection
     */
    @Override
    protected Connection borrowNode(String hostPort) {
        ConnectionPool pool = cluster.getClusterNodes().get(hostPort);
        if (pool == null) {
            throw new ConnectionLostException(name() + ": node " + hostPort + " is not in the cluster map", null);
        }
        return pool.getResource();
    }

    /**
     * Lists the masters currently serving slots, from {@code CLUSTER NODES}.
     *
     * @param nodesReply the reply of {@code CLUSTER NODES}
     * @return their {@code host:port}
     */
    static List<String> masters(String nodesReply) {
        List<String> masters = new ArrayList<>();
        for (String line : nodesReply.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            String addr = f[1];
            int at = addr.indexOf('@');
            masters.add(at < 0 ? addr : addr.substring(0, at));
        }
        return masters;
    }

    @Override
    protected RuntimeException checkKeys(Op<?> op) {
        if (op.keys == null || op.keys.length < 2) {
            return null;
        }
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (String k : op.keys) {
            slots.put(k, JedisClusterCRC16.getSlot(k));
        }
        if (slots.values().stream().distinct().count() <= 1) {
            return null;
        }
        return new RedisCommandException(
                name() + ": " + op.describe() + " refused: its keys span hash slots " + slots
                        + "; in a cluster a multi-key command needs all keys in one slot (share a {hash tag})",
                op.name,
                op.key,
                "CROSSSLOT",
                null);
    }

    /**
     * Checks that keys share one slot, for transactions.
     *
     * @param command what is being run
     * @param keys the keys
     * @return the common slot key, or {@code null} when there are no keys
     * @throws RedisCommandException when the keys span slots
     */
    String commonSlotKey(String command, List<String> keys) {
        if (keys.isEmpty()) {
            return null;
        }
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (String k : keys) {
            slots.put(k, JedisClusterCRC16.getSlot(k));
        }
        if (slots.values().stream().distinct().count() > 1) {
            throw new RedisCommandException(
                    name() + ": " + command + " refused: its keys span hash slots " + slots
                            + "; in a cluster " + ("MULTI/EXEC".equals(command) ? "a transaction" : command)
                            + " needs all its keys in one slot (share a {hash tag})",
                    command,
                    keys.get(0),
                    "CROSSSLOT",
                    null);
        }
        return keys.get(0);
    }

    @Override
    protected int[] poolCounters() {
        int held = 0;
        int idle = 0;
        int waiting = 0;
        for (ConnectionPool p : cluster.getClusterNodes().values()) {
            held += p.getNumActive();
            idle += p.getNumIdle();
            waiting += p.getNumWaiters();
        }
        return new int[] {held, idle, waiting};
    }

    @Override
    protected void closeResources() {
        syncExecutor.shutdown();
        cluster.close();
    }

    @Override
    public boolean isCluster() {
        return true;
    }

    @Override
    public String address() {
        return String.join(",", seeds);
    }
}
