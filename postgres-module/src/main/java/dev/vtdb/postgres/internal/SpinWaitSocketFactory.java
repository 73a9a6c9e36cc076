package dev.vtdb.postgres.internal;

import dev.vtdb.internal.SpinWaitSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory}: {@link SpinWaitSocket}s, whose wait for a reply may poll before
 * blocking.
 *
 * <p>Public with a public no-argument constructor because pgjdbc instantiates it by class name.
 */
public final class SpinWaitSocketFactory extends SocketFactory {
    /** Creates the factory (pgjdbc calls this by reflection). */
    public SpinWaitSocketFactory() {}

    @Override
    public Socket createSocket() {
        return new SpinWaitSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return open(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return open(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return open(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return open(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static Socket open(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = new SpinWaitSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }
}
