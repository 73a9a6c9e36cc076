package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

class RedisPubSubIT {
    private static final String P = "vtdb:it:pubsub:";
    private static final String NAME = "vtdb-it-pubsub";
    private static RedisClient redis;
    private static RedisOptions options;

    @BeforeAll
    static void connect() {
        options = RedisTests.options().clientName(NAME).build();
        redis = Redis.connect(options);
    }

    @AfterAll
    static void close() {
        RedisTests.deleteKeys(redis, P);
        redis.close();
    }

    private static RedisMessage next(LinkedBlockingQueue<RedisMessage> inbox) throws InterruptedException {
        RedisMessage m = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a message within %s", WAIT).isNotNull();
        return m;
    }

    @Test
    void subscribeReceivesPublishedMessagesUntilClosed() throws Exception {
        LinkedBlockingQueue<RedisMessage> inbox = new LinkedBlockingQueue<>();
        Subscription sub = redis.subscribe(List.of(P + "news", P + "sport"), inbox::add)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(sub.isActive()).isTrue();
        assertThat(redis.publish(P + "news", "hello")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(redis.publish(P + "sport", "goal")).succeedsWithin(WAIT).isEqualTo(1L);
        assertThat(next(inbox)).isEqualTo(new RedisMessage(null, P + "news", "hello"));
        assertThat(next(inbox)).isEqualTo(new RedisMessage(null, P + "sport", "goal"));
        sub.close();
        sub.close(); // harmless
        assertThat(sub.isActive()).isFalse();
        assertThat(redis.publish(P + "news", "nobody")).succeedsWithin(WAIT).isEqualTo(0L);
    }

    @Test
    void psubscribeMatchesPatterns() throws Exception {
        LinkedBlockingQueue<RedisMessage> inbox = new LinkedBlockingQueue<>();
        try (Subscription sub =
                redis.psubscribe(List.of(P + "room.*"), inbox::add, null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            assertThat(sub.isActive()).isTrue();
            redis.publish(P + "room.1", "hi").join();
            assertThat(next(inbox)).isEqualTo(new RedisMessage(P + "room.*", P + "room.1", "hi"));
        }
    }

    @Test
    void singleChannelAndPatternOverloadsSubscribe() throws Exception {
        LinkedBlockingQueue<RedisMessage> inbox = new LinkedBlockingQueue<>();
        try (Subscription one = redis.subscribe(P + "solo", inbox::add).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                Subscription patterns = redis.psubscribe(List.of(P + "solo.*"), inbox::add)
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                Subscription pattern =
                        redis.psubscribe(P + "other.*", inbox::add).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            assertThat(one.isActive() && patterns.isActive() && pattern.isActive())
                    .isTrue();
            assertThat(redis.publish(P + "solo", "a")).succeedsWithin(WAIT).isEqualTo(1L);
            assertThat(next(inbox)).isEqualTo(new RedisMessage(null, P + "solo", "a"));
            assertThat(redis.publish(P + "solo.x", "b")).succeedsWithin(WAIT).isEqualTo(1L);
            assertThat(next(inbox)).isEqualTo(new RedisMessage(P + "solo.*", P + "solo.x", "b"));
            assertThat(redis.publish(P + "other.y", "c")).succeedsWithin(WAIT).isEqualTo(1L);
            assertThat(next(inbox)).isEqualTo(new RedisMessage(P + "other.*", P + "other.y", "c"));
        }
    }

    @Test
    void handlerExceptionsDoNotStopTheSubscription() throws Exception {
        LinkedBlockingQueue<RedisMessage> inbox = new LinkedBlockingQueue<>();
        try (Subscription sub = redis.subscribe(List.of(P + "fragile"), m -> {
                    if (m.message().equals("bad")) {
                        throw new IllegalStateException("handler bug");
                    }
                    inbox.add(m);
                })
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            redis.publish(P + "fragile", "bad").join();
            redis.publish(P + "fragile", "good").join();
            assertThat(next(inbox).message()).isEqualTo("good");
            assertThat(sub.isActive()).isTrue();
        }
    }

    @Test
    void droppedConnectionResubscribesAndCallsOnReconnect() throws Exception {
        LinkedBlockingQueue<RedisMessage> inbox = new LinkedBlockingQueue<>();
        CompletableFuture<Void> reconnected = new CompletableFuture<>();
        try (Subscription sub = redis.subscribe(List.of(P + "events"), inbox::add, () -> reconnected.complete(null))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            redis.publish(P + "events", "before").join();
            assertThat(next(inbox).message()).isEqualTo("before");
            try (Jedis admin = new Jedis(options.host(), options.port())) {
                int killed = 0;
                for (String line : admin.clientList().split("\n")) {
                    if (line.contains(" name=" + NAME + " ") && line.contains(" flags=P ")) {
                        String id = line.substring(3, line.indexOf(' '));
                        killed += (int) admin.clientKill(new ClientKillParams().id(id));
                    }
                }
                assertThat(killed).isPositive();
            }
            assertThat(reconnected).succeedsWithin(WAIT);
            assertThat(sub.isActive()).isTrue();
            assertThat(redis.publish(P + "events", "after"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1L);
            assertThat(next(inbox).message()).isEqualTo("after");
        }
    }

    @Test
    void closingTheClientClosesSubscriptions() throws Exception {
        RedisClient other = Redis.connect(options);
        Subscription sub;
        try {
            sub = other.subscribe(List.of(P + "x"), m -> {}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            other.close();
        }
        assertThat(sub.isActive()).isFalse();
        assertThat(redis.publish(P + "x", "gone")).succeedsWithin(WAIT).isEqualTo(0L);
    }
}
