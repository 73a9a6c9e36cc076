package dev.vtdb.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.redis.RedisOptions;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Fails an integration test class that leaves a Redis subscription open, seen from both ends: in
 * this JVM (a vtdb subscription opened during the class whose thread still runs) and on the shared
 * test server ({@code CLIENT LIST}: a client named {@code vtdb…} that connected during the class and
 * is still subscribed to a channel or pattern). Closing is asynchronous on the server side, so the
 * check waits up to {@link #GRACE} for the count to reach zero. Registered for every integration
 * test of this module by JUnit's extension auto-detection, beside the test kit's {@code
 * PinnedCarrierCheck} and {@code ThreadLeakCheck}.
 */
public final class SubscriptionLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SubscriptionLeakCheck.class);
    private static final Duration GRACE = Duration.ofSeconds(5);

    /**
     * What was open before a test class ran: the subscriptions of this JVM and the first client id
     * the shared server could hand out afterwards.
     *
     * @param subscriptions vtdb subscriptions already open
     * @param firstClientId client ids from here on connected after the baseline
     */
    record Baseline(Set<PubSubSubscription> subscriptions, long firstClientId) {}

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("baseline", baseline());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Baseline since = context.getStore(NS).remove("baseline", Baseline.class);
        if (since != null) {
            assertNoLeaks(since, GRACE, context.getDisplayName());
        }
    }

    /**
     * Records what is open now.
     *
     * @return the baseline
     */
    static Baseline baseline() {
        long maxId = 0;
        for (Map<String, String> c : clients()) {
            maxId = Math.max(maxId, Long.parseLong(c.get("id")));
        }
        return new Baseline(PubSubSubscription.open(), maxId + 1);
    }

    /**
     * Fails when subscriptions opened since the baseline are still open once the grace ran out.
     *
     * @param since the baseline
     * @param grace how long closing subscriptions may take
     * @param owner the test class, for the message
     */
    static void assertNoLeaks(Baseline since, Duration grace, String owner) {
        assertThat(leaks(since, grace))
                .as("Redis subscriptions left open by %s (close every Subscription, or the client)", owner)
                .isEmpty();
    }

    /**
     * Returns the subscriptions opened since the baseline and still open, waiting (bounded) for
     * them to go.
     *
     * @param since the baseline
     * @param grace how long closing subscriptions may take
     * @return one line per open subscription: vtdb's own, then the server's clients
     */
    static List<String> leaks(Baseline since, Duration grace) {
        long until = System.nanoTime() + grace.toNanos();
        while (true) {
            List<String> leaks = new ArrayList<>();
            for (PubSubSubscription s : PubSubSubscription.open()) {
                if (!since.subscriptions().contains(s)) {
                    leaks.add("in this JVM: " + s);
                }
            }
            for (Map<String, String> c : clients()) {
                if (Long.parseLong(c.get("id")) >= since.firstClientId()
                        && c.getOrDefault("name", "").startsWith("vtdb")
                        && subscribed(c)) {
                    leaks.add("on the server " + serverAddress() + ": client id=" + c.get("id") + " name="
                            + c.get("name") + " sub=" + c.get("sub") + " psub=" + c.get("psub") + " flags="
                            + c.get("flags"));
                }
            }
            if (leaks.isEmpty() || System.nanoTime() - until >= 0) {
                return leaks;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // polls the registry and the server
        }
    }

    private static boolean subscribed(Map<String, String> client) {
        return count(client, "sub") > 0
                || count(client, "psub") > 0
                || count(client, "ssub") > 0
                || client.getOrDefault("flags", "").contains("P");
    }

    private static long count(Map<String, String> client, String field) {
        String v = client.get(field);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static RedisOptions serverOptions() {
        return RedisOptions.fromUrl(TestServers.redisUrl()).toBuilder()
                .clientName("leak-check")
                .build();
    }

    private static String serverAddress() {
        return serverOptions().address();
    }

    /** The shared server's {@code CLIENT LIST}, one field map per client. */
    private static List<Map<String, String>> clients() {
        RedisOptions o = serverOptions();
        try (Connection connection =
                new Connection(new HostAndPort(o.host(), o.port()), StandaloneEngine.clientConfig(o))) {
            Jedis admin = new Jedis(connection);
            List<Map<String, String>> clients = new ArrayList<>();
            for (String line : admin.clientList().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, String> fields = new HashMap<>();
                for (String field : line.trim().split(" ")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        fields.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                clients.add(fields);
            }
            return clients;
        }
    }
}
