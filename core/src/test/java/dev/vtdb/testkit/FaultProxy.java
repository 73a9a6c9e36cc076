package dev.vtdb.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on 127.0.0.1 between a client and a server, for fault tests: it can add latency,
 * black-hole traffic (connections stay open, nothing moves), reset every connection, refuse new
 * ones, or reset a connection right after it forwards a client packet containing a marker (for
 * instance {@code COMMIT}). All traffic stays on loopback.
 */
public final class FaultProxy implements AutoCloseable {
    private enum Mode {
        PASS,
        BLACKHOLE
    }

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition modeChanged = lock.newCondition();
    private volatile Mode mode = Mode.PASS;
    private volatile long latencyNanos;
    private volatile boolean refuse;
    private volatile String resetAfterMarker;
    private volatile boolean closed;

    private FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fault-proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /**
     * Starts a proxy to a server.
     *
     * @param host the server's host (loopback)
     * @param port the server's port
     * @return the running proxy
     */
    public static FaultProxy start(String host, int port) {
        try {
            return new FaultProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start fault proxy: " + e, e);
        }
    }

    /**
     * Returns the port clients connect to.
     *
     * @return the proxy's port on 127.0.0.1
     */
    public int port() {
        return server.getLocalPort();
    }

    /** Forwards traffic normally again. */
    public void pass() {
        setMode(Mode.PASS);
        refuse = false;
        latencyNanos = 0;
    }

    /** Stops moving bytes in both directions; connections stay open (a network black hole). */
    public void blackhole() {
        setMode(Mode.BLACKHOLE);
    }

    /**
     * Delays every forwarded chunk.
     *
     * @param latency the delay
     */
    public void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    /**
     * Makes new connections be closed at once (as a refused or dropped connect).
     *
     * @param on whether to refuse
     */
    public void refuseNew(boolean on) {
        refuse = on;
    }

    /** Resets every open connection (TCP RST). */
    public void resetAll() {
        for (Socket s : sockets) {
            reset(s);
        }
    }

    /**
     * Arms a one-shot fault: the next client packet containing the marker (ASCII, any case) is
     * forwarded to the server; the server's reply is swallowed and both sides are reset. The
     * server has done the work (for {@code COMMIT}: committed) but the client never hears of it.
     *
     * @param marker e.g. {@code "COMMIT"}
     */
    public void resetAfterClientSends(String marker) {
        resetAfterMarker = marker.toUpperCase(Locale.ROOT);
    }

    /**
     * Returns how many connections are open through the proxy.
     *
     * @return the number of client-side sockets open
     */
    public int openConnections() {
        return (int) sockets.stream().filter(s -> !s.isClosed()).count() / 2;
    }

    private void setMode(Mode m) {
        lock.lock();
        try {
            mode = m;
            modeChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitPass() throws InterruptedException {
        lock.lock();
        try {
            while (mode == Mode.BLACKHOLE && !closed) {
                modeChanged.await(1, TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refuse) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Link link = new Link(client, upstream);
                Thread.ofVirtual().name("fault-proxy-up").start(() -> pump(link, true));
                Thread.ofVirtual().name("fault-proxy-down").start(() -> pump(link, false));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One proxied connection: both sockets and the armed reply fault. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean swallowReplyAndReset;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    private void pump(Link link, boolean fromClient) {
        Socket from = fromClient ? link.client : link.upstream;
        Socket to = fromClient ? link.upstream : link.client;
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                awaitPass();
                long delay = latencyNanos;
                if (delay > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(delay);
                }
                if (!fromClient && link.swallowReplyAndReset) {
                    // the server answered the marked packet: drop the answer, cut both sides
                    return;
                }
                String marker = resetAfterMarker;
                if (fromClient && marker != null && contains(buf, n, marker)) {
                    resetAfterMarker = null;
                    // set before the packet leaves: a reply racing back must already be swallowed
                    link.swallowReplyAndReset = true;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection ended or was reset
        } finally {
            reset(from);
            reset(to);
        }
    }

    private static boolean contains(byte[] buf, int n, String marker) {
        String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        return text.contains(marker);
    }

    private void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
                s.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
        sockets.remove(s);
    }

    @Override
    public void close() {
        closed = true;
        setMode(Mode.PASS);
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        resetAll();
    }
}
