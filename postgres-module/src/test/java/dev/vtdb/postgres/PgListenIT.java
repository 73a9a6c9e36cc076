package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Subscription;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LISTEN/NOTIFY on a dedicated connection, with reconnect after the backend is killed. */
class PgListenIT extends PgITBase {

    private static Notification next(BlockingQueue<Notification> q) throws InterruptedException {
        Notification n = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(n).as("a notification within %s", WAIT).isNotNull();
        return n;
    }

    private long listeners(String channel) {
        return await(db.fetchValue(
                "SELECT count(*) FROM pg_stat_activity WHERE query = $1", Long.class, "LISTEN \"" + channel + "\""));
    }

    @Test
    void notificationsReachTheHandler() throws InterruptedException {
        String channel = "vtdb_Chan_" + System.nanoTime();
        BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
        int poolPid;
        Subscription sub = await(db.listen(channel, got::add));
        try {
            assertThat(sub.isActive()).isTrue();
            await(db.notify(channel, "hello 琪露诺"));
            await(db.notify(channel, null));
            await(db.inTransaction(s -> s.execute("NOTIFY \"" + channel + "\", 'in tx'")));
            Notification first = next(got);
            assertThat(first.channel()).isEqualTo(channel);
            assertThat(first.payload()).isEqualTo("hello 琪露诺");
            assertThat(next(got).payload()).isEmpty();
            assertThat(next(got).payload()).isEqualTo("in tx");
            poolPid = first.processId();
            assertThat(listeners(channel)).isEqualTo(1);
            assertThat(await(db.fetchValue(
                            "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'LISTEN%'",
                            Long.class, poolPid)))
                    .as("the listener is not a pool connection")
                    .isZero();
        } finally {
            sub.close();
        }
        assertThat(sub.isActive()).isFalse();
        sub.close();
        assertThat(eventually(() -> listeners(channel) == 0)).isTrue();
    }

    @Test
    void listenFailsWhenTheFirstConnectionCannotBeMade() {
        try (PgDatabase nowhere = Postgres.connect(options().toBuilder()
                .host("127.0.0.1")
                .port(1)
                .connectTimeout(java.time.Duration.ofSeconds(2))
                .build())) {
            assertThat(nowhere.listen("vtdb_nowhere", n -> {}))
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(dev.vtdb.ConnectionLostException.class)
                    .withMessageContaining("could not connect to LISTEN");
        }
    }

    @Test
    void aFailingHandlerDoesNotStopTheSubscription() throws InterruptedException {
        String channel = "vtdb_fail_" + System.nanoTime();
        BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
        Subscription sub = await(db.listen(channel, n -> {
            if (n.payload().equals("bad")) {
                throw new IllegalStateException("handler bug");
            }
            got.add(n);
        }));
        try {
            await(db.notify(channel, "bad"));
            await(db.notify(channel, "good"));
            assertThat(next(got).payload()).isEqualTo("good");
            assertThat(sub.isActive()).isTrue();
        } finally {
            sub.close();
        }
    }

    @Test
    void reconnectsAfterTheBackendIsKilledAndSaysSo() throws InterruptedException {
        String channel = "vtdb_reconnect_" + System.nanoTime();
        BlockingQueue<Notification> got = new LinkedBlockingQueue<>();
        CountDownLatch reconnected = new CountDownLatch(1);
        Subscription sub = await(db.listen(channel, got::add, reconnected::countDown));
        try {
            await(db.notify(channel, "before"));
            assertThat(next(got).payload()).isEqualTo("before");
            long killed = await(db.fetchValue(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = $1",
                    Long.class,
                    "LISTEN \"" + channel + "\""));
            assertThat(killed).isEqualTo(1);
            assertThat(reconnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(sub.isActive()).isTrue();
            await(db.notify(channel, "after"));
            assertThat(next(got).payload()).isEqualTo("after");
        } finally {
            sub.close();
        }
    }
}
