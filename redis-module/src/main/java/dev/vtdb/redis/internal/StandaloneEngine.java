package dev.vtdb.redis.internal;

import dev.vtdb.redis.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The engine for one Redis server: a Jedis {@link ConnectionPool} of {@code workers} connections for
 * the pipelining workers and one of {@code poolSize} for dedicated calls, so that blocking pops and
 * subscriptions can never starve the workers.
 */
public final class StandaloneEngine extends Engine {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneEngine.class);

    /** A worker connection idle longer than this is checked with PING before use (HikariCP: 500 ms). */
    private static final long ALIVE_BYPASS_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);

    private final ConnectionPool workerPool;
    private final ConnectionPool pool;

    private StandaloneEngine(RedisOptions options, ConnectionPool workerPool, ConnectionPool pool) {
        super(options, "redis " + options.address());
        this.workerPool = workerPool;
        this.pool = pool;
    }

    /**
     * Opens the pool, checks a connection with {@code PING} and starts the workers.
     *
     * @param options the options
     * @return the started engine
     * @throws dev.vtdb.ConnectionLostException when the server cannot be reached
     */
    public static StandaloneEngine start(RedisOptions options) {
        HostAndPort address = new HostAndPort(options.host(), options.port());
        JedisClientConfig config = clientConfig(options);
        ConnectionPool workerPool = new ConnectionPool(address, config, poolConfig(options, options.workers()));
        ConnectionPool pool = new ConnectionPool(address, config, poolConfig(options, options.poolSize()));
        StandaloneEngine engine = new StandaloneEngine(options, workerPool, pool);
        // the first connection's handshake (TLS, AUTH, SELECT, PING) is bounded by the connect
        // timeout, not the socket timeout: a server that accepts and never answers fails fast
        long began = System.nanoTime();
        try (Connection probe = new Connection(address, clientConfig(options, options.connectTimeout()))) {
            probe.ping();
        } catch (RuntimeException e) {
            workerPool.close();
            pool.close();
            throw RedisErrors.connectFailed(engine, e, java.time.Duration.ofNanos(System.nanoTime() - began));
        }
        engine.startWorkers();
        return engine;
    }

    static JedisClientConfig clientConfig(RedisOptions o) {
        return clientConfig(o, o.socketTimeout());
    }

    @SuppressWarnings("deprecation") // ssl(boolean): the SslOptions replacement needs a trust store
    static JedisClientConfig clientConfig(RedisOptions o, java.time.Duration socketTimeout) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(o.connectTimeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(socketTimeout.toMillis()))
                .user(o.user())
                .password(o.password())
                .database(o.database())
                .clientName(o.clientName())
                .ssl(o.ssl())
                .sslSocketFactory(o.sslSocketFactory())
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
    }

    static ConnectionPoolConfig poolConfig(RedisOptions o, int maxTotal) {
        ConnectionPoolConfig c = new ConnectionPoolConfig();
        c.setMaxTotal(maxTotal);
        c.setMaxIdle(maxTotal);
        c.setMinIdle(0);
        c.setBlockWhenExhausted(true);
        c.setMaxWait(o.poolMaxWait());
        c.setTestOnBorrow(true);
        c.setJmxEnabled(false);
        return c;
    }

    @Override
    protected Lane newLane() {
        return new Lane() {
            private Connection connection;
            private Pipeline pipeline;
            private long lastUsed;

            @Override
            public PipeliningBase begin() {
                if (connection != null && connection.isBroken()) {
                    discard();
                }
                if (connection != null && System.nanoTime() - lastUsed > ALIVE_BYPASS_NANOS) {
                    try {
                        connection.ping(); // idle a while: it may have been killed meanwhile (HikariCP's rule)
                    } catch (JedisConnectionException e) {
                        LOG.debug("{}: an idle worker connection was dead, replacing it", name(), e);
                        discard();
                    }
                }
                if (connection == null) {
                    connection = workerPool.getResource();
                    pipeline = new Pipeline(connection, false);
                    lastUsed = System.nanoTime();
                }
                return pipeline;
            }

            @Override
            public void sync() {
                pipeline.sync();
                lastUsed = System.nanoTime();
            }

            @Override
            public void end(boolean failed) {
                if (failed) {
                    discard();
                }
            }

            private void discard() {
                if (connection != null) {
                    Connection c = connection;
                    connection = null;
                    pipeline = null;
                    c.setBroken();
                    try {
                        c.close();
                    } catch (RuntimeException e) {
                        LOG.debug("discarding a broken connection failed", e);
                    }
                }
            }

            @Override
            public void close() {
                if (connection != null) {
                    Connection c = connection;
                    connection = null;
                    pipeline = null;
                    try {
                        c.close();
                    } catch (RuntimeException e) {
                        LOG.debug("returning a worker connection failed", e);
                    }
                }
            }
        };
    }

    @Override
    protected Connection borrow(String slotKey) {
        return pool.getResource();
    }

    @Override
    protected int[] poolCounters() {
        return new int[] {
            workerPool.getNumActive() + pool.getNumActive(),
            workerPool.getNumIdle() + pool.getNumIdle(),
            workerPool.getNumWaiters() + pool.getNumWaiters()
        };
    }

    @Override
    protected void closeResources() {
        workerPool.close();
        pool.close();
    }

    @Override
    public boolean isCluster() {
        return false;
    }

    @Override
    public String address() {
        return options().address();
    }
}
