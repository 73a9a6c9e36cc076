package dev.vtdb.postgres.internal;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * pgjdbc's {@code sslpasswordcallback}: gives the driver the passphrase of the TLS client key
 * ({@code sslpassword}) from a registry, under an opaque reference that is the only thing in the
 * connection properties. The passphrase itself is kept out of them because HikariCP logs the
 * properties at DEBUG and masks only one named {@code password}.
 *
 * <p>Public with a public {@code Properties} constructor because pgjdbc instantiates it by class
 * name, passing the connection properties.
 */
public final class SslKeyPassword implements CallbackHandler {
    /** The connection property holding the reference. */
    public static final String REFERENCE = "vtdbSslPasswordRef";

    private static final Map<String, char[]> PASSPHRASES = new ConcurrentHashMap<>();

    private final char[] passphrase;

    /**
     * Looks up the passphrase the connection properties refer to (pgjdbc calls this by reflection).
     *
     * @param info the connection properties
     */
    public SslKeyPassword(Properties info) {
        String ref = info.getProperty(REFERENCE);
        char[] p = ref == null ? null : PASSPHRASES.get(ref);
        this.passphrase = p == null ? null : p.clone();
    }

    /**
     * Keeps a passphrase until {@link #forget} and returns the reference to put in the properties.
     *
     * @param passphrase the TLS key's passphrase
     * @return a random reference
     */
    public static String remember(String passphrase) {
        String ref = UUID.randomUUID().toString();
        PASSPHRASES.put(ref, passphrase.toCharArray());
        return ref;
    }

    /**
     * Drops a passphrase (when its database closes).
     *
     * @param ref the reference {@link #remember} returned
     */
    public static void forget(String ref) {
        char[] p = PASSPHRASES.remove(ref);
        if (p != null) {
            java.util.Arrays.fill(p, '\0');
        }
    }

    /**
     * Answers the driver's password callback with the passphrase.
     *
     * @param callbacks the driver's callbacks
     * @throws UnsupportedCallbackException for another kind of callback, or when the database that
     *     held the passphrase has closed
     */
    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (!(c instanceof PasswordCallback pc)) {
                throw new UnsupportedCallbackException(c);
            }
            if (passphrase == null) {
                throw new UnsupportedCallbackException(c, "the TLS key passphrase is no longer held (database closed)");
            }
            pc.setPassword(passphrase);
        }
    }
}
