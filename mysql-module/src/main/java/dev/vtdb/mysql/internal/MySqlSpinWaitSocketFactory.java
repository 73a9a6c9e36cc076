package dev.vtdb.mysql.internal;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;
import dev.vtdb.internal.SpinWaitSocket;
import java.net.Socket;

/**
 * Connector/J's {@code socketFactory}: its standard factory (timeouts, TLS, keep-alive), with
 * {@link SpinWaitSocket}s, whose wait for a reply may poll before blocking; through a SOCKS proxy
 * it makes the standard factory's sockets.
 *
 * <p>Public with a public no-argument constructor because Connector/J instantiates it by class
 * name.
 */
public final class MySqlSpinWaitSocketFactory extends StandardSocketFactory {
    /** Creates the factory (Connector/J calls this by reflection). */
    public MySqlSpinWaitSocketFactory() {}

    @Override
    protected Socket createSocket(PropertySet props) {
        String proxy = props.getStringProperty(PropertyKey.socksProxyHost).getValue();
        return proxy == null || proxy.isEmpty() ? new SpinWaitSocket() : super.createSocket(props);
    }
}
