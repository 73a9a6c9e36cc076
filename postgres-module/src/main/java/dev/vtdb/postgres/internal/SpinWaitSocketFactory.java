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
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }
}
