package dev.vtdb.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.Subscription;
import dev.vtdb.redis.Redis;
import dev.vtdb.redis.RedisClient;
import dev.vtdb.redis.RedisOptions;
import dev.vtdb.testkit.PinnedCarrierCheck;
import dev.vtdb.testkit.TestServers;
import dev.vtdb.testkit.ThreadLeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;

/** The subscription leak check itself: it must see a subscription left open, and be registered. */
class SubscriptionLeakCheckIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String NAME = "vtdb-it-leakcheck";

    @Test
    void subscriptionsLeftOpenAreReportedFromBothEndsUntilClosed() throws Exception {
        SubscriptionLeakCheck.Baseline since = SubscriptionLeakCheck.baseline();
        RedisOptions o = RedisOptions.fromUrl(TestServers.redisUrl()).toBuilder()
                .clientName(NAME)
                .build();
        try (RedisClient redis = Redis.connect(o)) {
            Subscription channel = redis.subscribe(List.of("vtdb:it:leakcheck:chan"), m -> {})
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Subscription pattern = redis.psubscribe(List.of("vtdb:it:leakcheck:*"), m -> {}, null)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                assertThat(SubscriptionLeakCheck.leaks(since, Duration.ZERO))
                        .hasSize(4)
                        .anySatisfy(l ->
                                assertThat(l).startsWith("in this JVM").contains("SUBSCRIBE [vtdb:it:leakcheck:chan]"))
                        .anySatisfy(l ->
                                assertThat(l).startsWith("in this JVM").contains("PSUBSCRIBE [vtdb:it:leakcheck:*]"))
                        .anySatisfy(l -> assertThat(l)
                                .startsWith("on the server")
                                .contains("name=" + NAME)
                                .contains(" sub=1 "))
                        .anySatisfy(l -> assertThat(l)
                                .startsWith("on the server")
                                .contains("name=" + NAME)
                                .contains(" psub=1 "));
                assertThatThrownBy(() -> SubscriptionLeakCheck.assertNoLeaks(since, Duration.ZERO, "this test"))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("Redis subscriptions left open by this test")
                        .hasMessageContaining("vtdb:it:leakcheck:chan");
            } finally {
                channel.close();
            }
            // one closed, one still open: only the open one is reported
            assertThat(SubscriptionLeakCheck.leaks(since, WAIT))
                    .hasSize(2)
                    .allSatisfy(l -> assertThat(l)
                            .doesNotContain("[vtdb:it:leakcheck:chan]")
                            .doesNotContain(" sub=1 "));
            pattern.close();
            assertThat(SubscriptionLeakCheck.leaks(since, WAIT)).isEmpty();
            SubscriptionLeakCheck.assertNoLeaks(since, WAIT, "this test");
        }
    }

    @Test
    void baselineExcludesWhatWasOpenBefore() throws Exception {
        try (RedisClient redis = Redis.connect(RedisOptions.fromUrl(TestServers.redisUrl()).toBuilder()
                        .clientName(NAME)
                        .build());
                Subscription before = redis.subscribe(List.of("vtdb:it:leakcheck:before"), m -> {})
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            assertThat(before.isActive()).isTrue();
            SubscriptionLeakCheck.Baseline since = SubscriptionLeakCheck.baseline();
            assertThat(SubscriptionLeakCheck.leaks(since, Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void moduleRegistersItsCheckBesideTheTestKits() {
        // a services file in this module's test classes and one in core's test-jar: JUnit reads both
        List<Class<?>> registered = ServiceLoader.load(Extension.class).stream()
                .<Class<?>>map(ServiceLoader.Provider::type)
                .toList();
        assertThat(registered)
                .contains(
                        SubscriptionLeakCheck.class,
                        RedisIdleCheck.class,
                        PinnedCarrierCheck.class,
                        ThreadLeakCheck.class);
    }
}
