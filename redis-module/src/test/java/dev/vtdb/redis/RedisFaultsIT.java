package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.CommitOutcomeUnknownException;
import dev.vtdb.ConnectionLostException;
import dev.vtdb.DeadlineExceededException;
import dev.vtdb.PoolExhaustedException;
import dev.vtdb.Scope;
import dev.vtdb.testkit.FaultProxy;
import dev.vtdb.testkit.Outcome;
import dev.vtdb.testkit.SecretLeakCheck;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Faults: refused connections, killed connections, server restarts, deadlines, exhaustion, and a
 * transaction losing its connection before or after EXEC. The kill and exhaustion scenarios print
 * a {@code RELIABILITY |} line for docs/RELIABILITY.md.
 */
class RedisFaultsIT {
    private static final String P = "vtdb:it:faults:";
    private static final String CANARY = TestServers.CANARY_PASSWORD;
    private static PrivateRedis slow; // a private server with DEBUG enabled, never the shared one

    @BeforeAll
    static void startPrivateServer() {
        slow = PrivateRedis.start();
    }

    @AfterAll
    static void stopPrivateServer() {
        try (RedisClient redis = Redis.connect(RedisTests.options().build())) {
            RedisTests.deleteKeys(redis, P);
        }
        slow.close();
    }

    private static List<Long> clientIds(String host, int port, String clientName) {
        try (Jedis admin = new Jedis(host, port)) {
            List<Long> ids = new ArrayList<>();
            for (String line : admin.clientList().split("\n")) {
                if (line.contains(" name=" + clientName + " ")) {
                    for (String field : line.split(" ")) {
                        if (field.startsWith("id=")) {
                            ids.add(Long.parseLong(field.substring(3)));
                        }
                    }
                }
            }
            return ids;
        }
    }

    private static void killClients(String host, int port, String clientName) {
        try (Jedis admin = new Jedis(host, port)) {
            for (long id : clientIds(host, port, clientName)) {
                admin.clientKill(new redis.clients.jedis.params.ClientKillParams().id(String.valueOf(id)));
            }
        }
    }

    /** Waits (bounded) until the server shows a client of that name blocked in BLPOP. */
    private static void awaitBlockedClient(String host, int port, String clientName) {
        try (Jedis admin = new Jedis(host, port)) {
            long until = System.nanoTime() + WAIT.toNanos();
            while (java.util.Arrays.stream(admin.clientList().split("\n"))
                    .noneMatch(l -> l.contains(" name=" + clientName + " ") && l.contains("cmd=blpop"))) {
                assertThat(System.nanoTime()).as("a client blocked in BLPOP").isLessThan(until);
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Duration.ofMillis(10).toNanos()); // polls the server
            }
        }
    }

    /** Waits (bounded) until the client's workers are writing or awaiting {@code n} calls. */
    private static void awaitRunning(RedisClient redis, int n) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (redis.stats().active() < n) {
            assertThat(System.nanoTime()).as("%d calls running", n).isLessThan(until);
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(1).toNanos()); // polls a counter
        }
    }

    @Test
    void closeStopsBlockingPopsLetsTransactionsFinishAndLeavesNoConnection() throws Exception {
        String name = "vtdb-it-close-" + System.nanoTime();
        RedisClient redis = Redis.connect(RedisOptions.fromUrl(slow.url()).toBuilder()
                .clientName(name)
                .timeout(Duration.ofSeconds(4))
                .build());
        CompletableFuture<Void> closing = null;
        try {
            CompletableFuture<Map.Entry<String, String>> pop = redis.blpop(Duration.ofSeconds(8), "close:never");
            java.util.concurrent.CountDownLatch inBody = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<PipelineResult> tx = redis.transaction(List.of("close:t"), t -> {
                inBody.countDown();
                try {
                    release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                t.incr("close:t");
            });
            awaitBlockedClient("127.0.0.1", slow.port(), name);
            assertThat(inBody.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isTrue();
            closing = CompletableFuture.runAsync(redis::close);
            // the blocking pop is stopped at once, while the transaction still may finish
            assertThat(pop)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(dev.vtdb.DatabaseClosedException.class)
                    .withMessageContaining("BLPOP key 'close:never'");
            assertThat(tx).isNotDone();
            release.countDown();
            assertThat(tx).succeedsWithin(WAIT);
            assertThat(closing).succeedsWithin(WAIT);
        } finally {
            redis.close();
        }
        // the server sees none of the client's connections any more
        long until = System.nanoTime() + WAIT.toNanos();
        while (!clientIds("127.0.0.1", slow.port(), name).isEmpty()) {
            assertThat(System.nanoTime()).as("connections of %s gone", name).isLessThan(until);
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(10).toNanos()); // polls the server
        }
    }

    @Test
    void firstCommandAfterItsConnectionWasKilledWhileIdleSucceeds() {
        String name = "vtdb-it-killidle-" + System.nanoTime();
        try (RedisClient redis = Redis.connect(
                RedisOptions.fromUrl(slow.url()).toBuilder().clientName(name).build())) {
            for (int round = 0; round < 5; round++) {
                String value = "v" + round;
                long count = round + 1L;
                assertThat(redis.set("killidle:k", value)).succeedsWithin(WAIT);
                assertThat(redis.pipeline(p -> p.get("killidle:k"))).succeedsWithin(WAIT);
                // both workers' connections die just after use (well under the 500 ms idle check)
                killClients("127.0.0.1", slow.port(), name);
                assertThat(redis.get("killidle:k")).succeedsWithin(WAIT).isEqualTo(value);
                assertThat(redis.pipeline(p -> p.incr("killidle:n")))
                        .succeedsWithin(WAIT)
                        .satisfies(r -> assertThat(r.get(0)).isEqualTo(count));
            }
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void connectionLostBeforeExecIsConnectionLostAndAppliesNothing() {
        String url = TestServers.redisUrl();
        String p = P + "lostqueue:"; // no "EXEC" or "MULTI" in keys or values: the proxy's marker
        try (RedisClient direct = Redis.connect(url);
                FaultProxy proxy = FaultProxy.start(TestServers.host(url), TestServers.port(url));
                RedisClient redis = Redis.connect(RedisOptions.fromUrl(url).toBuilder()
                        .host("127.0.0.1")
                        .port(proxy.port())
                        .timeout(Duration.ofSeconds(5))
                        .build())) {
            assertThat(direct.set(p + "balance", "100")).succeedsWithin(WAIT);
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<PipelineResult> tx = redis.transaction(List.of(p + "balance"), t -> {
                runs.incrementAndGet();
                long balance = Long.parseLong(t.read(p + "balance"));
                t.set(p + "balance", String.valueOf(balance - 30));
                t.rpush(p + "ledger", "-30");
                // the queued commands reach the server, their QUEUED replies never come back
                proxy.resetAfterClientSends("MULTI");
            });
            assertThat(tx)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .isNotInstanceOf(CommitOutcomeUnknownException.class)
                    .withMessageContaining("MULTI/EXEC");
            assertThat(runs).hasValue(1);
            // EXEC was never sent: the server dropped the MULTI with the connection
            assertThat(direct.get(p + "balance")).succeedsWithin(WAIT).isEqualTo("100");
            assertThat(direct.exists(p + "ledger")).succeedsWithin(WAIT).isEqualTo(0L);
            RedisTests.assertIdle(redis);
            assertThat(redis.transaction(List.of(p + "balance"), t -> t.incr(p + "balance")))
                    .succeedsWithin(WAIT)
                    .satisfies(r -> assertThat(r.get(0)).isEqualTo(101L));
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void deadlinePassingWhileExecRunsIsCommitOutcomeUnknown() {
        RedisOptions o = RedisOptions.fromUrl(slow.url()).toBuilder()
                .timeout(Duration.ofSeconds(1))
                .build();
        try (RedisClient redis = Redis.connect(o)) {
            // warm the dedicated connection so that the 1 s deadline is spent on EXEC
            assertThat(redis.transaction(List.of("tx:slow"), t -> t.del("tx:slow")))
                    .succeedsWithin(WAIT);
            long start = System.nanoTime();
            CompletableFuture<PipelineResult> tx = redis.transaction(List.of("tx:slow"), t -> {
                t.set("tx:slow", "applied");
                t.execute("DEBUG", "SLEEP", "2"); // queued: runs inside EXEC and holds its reply back
            });
            assertThat(tx)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .withMessageContaining("its deadline passed after EXEC was sent")
                    .withMessageContaining("(1 watched key, 2 queued commands, attempt 1, elapsed ")
                    .withMessageContaining("ms of a 1000ms deadline) is unknown");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
            // it was applied: the server answers once the sleep inside EXEC is over
            assertThat(redis.withTimeout(Duration.ofSeconds(4)).get("tx:slow"))
                    .succeedsWithin(WAIT)
                    .isEqualTo("applied");
            // the transaction's thread reads EXEC's late reply (logged), then gives the connection back
            long until = System.nanoTime() + WAIT.toNanos();
            while (redis.stats().active() > 0) {
                assertThat(System.nanoTime()).as("the late EXEC reply was read").isLessThan(until);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polls an in-process counter
            }
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void connectionRefusedNamesHostAndPortButNoPassword() {
        int port = PrivateRedis.sparePort();
        assertThatThrownBy(() -> Redis.connect("redis://app:" + CANARY + "@127.0.0.1:" + port + "/0"))
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("cannot connect to redis at 127.0.0.1:" + port)
                .hasMessageContaining("Connection refused")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void connectToAServerThatNeverAnswersIsBoundedByTheConnectTimeout() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", slow.port())) {
            proxy.blackhole(); // accepts the TCP connection, never answers the handshake
            RedisOptions o = RedisOptions.fromUrl(slow.url()).toBuilder()
                    .port(proxy.port())
                    .connectTimeout(Duration.ofMillis(500))
                    .build(); // the socket timeout stays 30 s: it must not bound the handshake
            CompletableFuture<RedisClient> connect = CompletableFuture.supplyAsync(() -> Redis.connect(o));
            assertThat(connect)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining("cannot connect to redis at 127.0.0.1:" + proxy.port())
                    .withMessageContaining("no answer within the connect timeout")
                    .withMessageContaining("connectTimeout 500ms")
                    .withMessageNotContaining(CANARY);
        }
    }

    @Test
    void unknownHostSaysItCouldNotConnect() {
        assertThatThrownBy(() -> Redis.connect("redis://app:" + CANARY + "@no-such-host.invalid:6379/0"))
                .isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("cannot connect to redis at no-such-host.invalid:6379 (unknown host")
                .hasMessageNotContaining("lost")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void passwordsLogInAndNeverShowInMessages() {
        String wrongPassword = CANARY + "-but-wrong";
        try (PrivateRedis secured = PrivateRedis.start("--requirepass", CANARY)) {
            String good = "redis://:" + CANARY + "@127.0.0.1:" + secured.port() + "/2";
            try (RedisClient redis = Redis.connect(good)) {
                assertThat(redis.set("k", "in db 2")).succeedsWithin(WAIT);
                assertThat(redis.get("k")).succeedsWithin(WAIT).isEqualTo("in db 2");
                assertThat(redis.toString()).doesNotContain(CANARY);
            }
            try (Jedis check = new Jedis("127.0.0.1", secured.port())) {
                check.auth(CANARY);
                check.select(2);
                assertThat(check.get("k")).isEqualTo("in db 2");
            }
            // the ACL user of every private server (and of the shared one) logs in with user and password
            try (RedisClient asUser = Redis.connect(secured.url())) {
                assertThat(asUser.get("k")).succeedsWithin(WAIT).isNull(); // db 0
                assertThat(asUser.toString()).doesNotContain(CANARY);
            }
            assertThatThrownBy(() -> Redis.connect("redis://:" + wrongPassword + "@127.0.0.1:" + secured.port()))
                    .isInstanceOf(RedisCommandException.class)
                    .hasMessageContaining("WRONGPASS")
                    .hasMessageContaining("127.0.0.1:" + secured.port())
                    .hasMessageNotContaining(CANARY)
                    .satisfies(e -> assertThat(SecretLeakCheck.leaksIn(e)).isEmpty());
            assertThatThrownBy(() -> Redis.connect("redis://" + TestServers.CANARY_USER + ":" + wrongPassword
                            + "@127.0.0.1:" + secured.port()))
                    .isInstanceOf(RedisCommandException.class)
                    .hasMessageContaining("WRONGPASS")
                    .satisfies(e -> assertThat(SecretLeakCheck.leaksIn(e)).isEmpty());
            assertThat(RedisOptions.fromUrl(good).toString()).doesNotContain(CANARY);
            assertThat(RedisOptions.fromUrl(secured.url()).toString()).doesNotContain(CANARY);
        }
    }

    @Test
    void clientKillMidUseLetsThePoolRecover() {
        RedisOptions o =
                RedisTests.options().clientName("vtdb-it-kill").workers(2).build();
        try (RedisClient redis = Redis.connect(o)) {
            assertThat(redis.set(P + "k", "before")).succeedsWithin(WAIT);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            CompletableFuture<Map.Entry<String, String>> blocked = redis.blpop(Duration.ofSeconds(5), P + "nothing");
            calls.add(blocked);
            awaitBlockedClient(o.host(), o.port(), "vtdb-it-kill");
            killClients(o.host(), o.port(), "vtdb-it-kill");
            assertThat(blocked)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ConnectionLostException.class);
            // each worker may lose the one batch it sends on its killed connection, then reconnects
            int lost = 0;
            for (int i = 0; i < 50; i++) {
                CompletableFuture<String> get = redis.get(P + "k");
                calls.add(get);
                try {
                    assertThat(get.join()).isEqualTo("before");
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(ConnectionLostException.class);
                    lost++;
                }
            }
            assertThat(lost).isLessThanOrEqualTo(o.workers());
            for (int i = 0; i < 50; i++) {
                CompletableFuture<Long> incr = redis.incr(P + "after");
                calls.add(incr);
                assertThat(incr).succeedsWithin(WAIT).isEqualTo(i + 1L);
            }
            assertThat(redis.rpush(P + "list", "x")).succeedsWithin(WAIT);
            assertThat(redis.blpop(Duration.ofSeconds(1), P + "list"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(Map.entry(P + "list", "x"));
            RedisTests.assertIdle(redis);
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome.hung()).isZero();
            long acknowledgedMissing =
                    50 - Long.parseLong(redis.get(P + "after").join());
            assertThat(acknowledgedMissing).isZero();
            outcome.report(
                    "redis",
                    "server-side kill (CLIENT KILL)",
                    "1 blocked BLPOP, then 50 GETs and 50 INCRs, 2 workers",
                    "CLIENT KILL of every connection of the client",
                    acknowledgedMissing,
                    redis.stats().active());
        }
    }

    @Test
    void serverRestartLetsThePoolRecover() {
        try (PrivateRedis server = PrivateRedis.start();
                RedisClient redis = Redis.connect(RedisOptions.fromUrl(server.url()).toBuilder()
                        .timeout(Duration.ofSeconds(3))
                        .build())) {
            assertThat(redis.set("k", "v1")).succeedsWithin(WAIT);
            server.kill();
            assertThat(redis.get("k"))
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining("127.0.0.1:" + server.port());
            server.startProcess(); // same port, empty data (no persistence)
            // each worker may lose the one batch it sends on its dead connection, then reconnects
            int lost = 0;
            for (int i = 0; i < 30; i++) {
                try {
                    assertThat(redis.get("k").join()).isNull();
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(ConnectionLostException.class);
                    lost++;
                }
            }
            assertThat(lost).isLessThanOrEqualTo(2);
            for (int i = 0; i < 20; i++) {
                assertThat(redis.incr("n")).succeedsWithin(WAIT).isEqualTo(i + 1L);
            }
            assertThat(redis.blpop(Duration.ofMillis(50), "empty"))
                    .succeedsWithin(WAIT)
                    .isNull();
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void deadlineOnASlowCommandKeepsTheConnection() {
        RedisOptions o = RedisOptions.fromUrl(slow.url()).toBuilder()
                .clientName("vtdb-it-slow")
                .workers(1)
                .timeout(Duration.ofMillis(300))
                .build();
        try (RedisClient redis = Redis.connect(o)) {
            assertThat(redis.set("slow:k", "v")).succeedsWithin(WAIT);
            List<Long> before = clientIds(o.host(), o.port(), "vtdb-it-slow");
            assertThat(before).hasSize(1);
            long start = System.nanoTime();
            CompletableFuture<Object> sleep = redis.withTimeout(Duration.ofSeconds(5))
                    .withTimeout(Duration.ofMillis(300))
                    .execute("DEBUG", "SLEEP", "1");
            CompletableFuture<String> queued = redis.get("slow:k"); // waits behind the sleep
            assertThat(sleep)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
                        assertThat(e.getMessage()).contains("DEBUG").contains("while running");
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
            assertThat(queued)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(DeadlineExceededException.class);
            // the late reply is read and dropped: the same connection serves the next command
            assertThat(redis.withTimeout(Duration.ofSeconds(3)).get("slow:k"))
                    .succeedsWithin(WAIT)
                    .isEqualTo("v");
            assertThat(clientIds(o.host(), o.port(), "vtdb-it-slow")).isEqualTo(before);
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void scopeDeadlineShortensTheCallAndCancelledCommandsAreNeverSent() {
        RedisOptions o = RedisOptions.fromUrl(slow.url()).toBuilder()
                .workers(1)
                .timeout(Duration.ofSeconds(10))
                .build();
        try (RedisClient redis = Redis.connect(o)) {
            redis.del("scope:k").join();
            CompletableFuture<Object> sleep;
            CompletableFuture<Void> cancelled;
            try (Scope scope = Scope.open(Duration.ofMillis(250))) {
                sleep = redis.execute("DEBUG", "SLEEP", "0.8");
                // the only worker is writing the DEBUG SLEEP: the SET waits in the queue behind it
                awaitRunning(redis, 1);
                cancelled = redis.set("scope:k", "should-not-be-written");
                assertThat(cancelled.cancel(false)).isTrue();
                assertThat(scope.remaining()).isPositive();
            }
            assertThat(sleep)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(DeadlineExceededException.class);
            assertThat(redis.get("scope:k")).succeedsWithin(WAIT).isNull();
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void blockingPopPastItsDeadlineFailsAndReturnsTheConnection() {
        try (RedisClient redis = Redis.connect(
                RedisTests.options().poolSize(1).timeout(Duration.ofMillis(300)).build())) {
            long start = System.nanoTime();
            assertThat(redis.blpop(Duration.ofSeconds(10), P + "never"))
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(DeadlineExceededException.class)
                    .withMessageContaining("BLPOP key '" + P + "never'");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            // the only dedicated connection came back healthy
            assertThat(redis.rpush(P + "q", "a")).succeedsWithin(WAIT);
            assertThat(redis.blpop(Duration.ofMillis(100), P + "q"))
                    .succeedsWithin(WAIT)
                    .isEqualTo(Map.entry(P + "q", "a"));
            RedisTests.assertIdle(redis);
            assertThat(redis.stats().connectionsIdle()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aDedicatedCallWaitsForAConnectionOnlyUntilPoolMaxWaitNotItsDeadline() throws Exception {
        try (RedisClient redis = Redis.connect(RedisOptions.fromUrl(slow.url()).toBuilder()
                .poolSize(1)
                .poolMaxWait(Duration.ofMillis(300))
                .timeout(Duration.ofSeconds(20)) // the deadline is far: only poolMaxWait can end the wait
                .build())) {
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<PipelineResult> holder = redis.transaction(List.of("maxwait:a"), t -> {
                holding.countDown();
                try {
                    release.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                t.incr("maxwait:a");
            });
            assertThat(holding.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isTrue();
            long start = System.nanoTime();
            CompletableFuture<PipelineResult> waiting =
                    redis.transaction(List.of("maxwait:b"), t -> t.incr("maxwait:b"));
            assertThat(waiting)
                    .failsWithin(WAIT) // not the 20 s deadline
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(PoolExhaustedException.class, e -> {
                        assertThat(e.getMessage())
                                .contains("no connection free within 300ms")
                                .contains("MULTI/EXEC key 'maxwait:b'");
                        assertThat(e.stats().connectionsHeld()).isGreaterThanOrEqualTo(1);
                    });
            // it did wait for a connection (the pool's bound), rather than failing at once
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            release.countDown();
            assertThat(holder).succeedsWithin(WAIT);
            assertThat(redis.transaction(List.of("maxwait:b"), t -> t.incr("maxwait:b")))
                    .succeedsWithin(WAIT);
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void aCommandSlowerThanTheSocketTimeoutFailsTypedAndTheClientRecovers() {
        try (RedisClient redis = Redis.connect(RedisOptions.fromUrl(slow.url()).toBuilder()
                .workers(1)
                .socketTimeout(Duration.ofMillis(300))
                .timeout(Duration.ofSeconds(10))
                .build())) {
            assertThat(redis.execute("CONFIG", "RESETSTAT")).succeedsWithin(WAIT);
            assertThat(redis.execute("DEBUG", "SLEEP", "1"))
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(ConnectionLostException.class)
                    .withMessageContaining("DEBUG")
                    .withMessageContaining("127.0.0.1:" + slow.port());
            // the server sleeps on: a client without the short socket timeout waits it out
            try (RedisClient patient = Redis.connect(slow.url())) {
                assertThat(patient.ping()).succeedsWithin(WAIT);
            }
            // the timed-out connection was discarded, not reused with a late reply pending
            assertThat(redis.set("sotimeout:k", "v")).succeedsWithin(WAIT);
            assertThat(redis.get("sotimeout:k")).succeedsWithin(WAIT).isEqualTo("v");
            // a read that timed out is not retried: the server got (and ran) the command once
            assertThat(redis.execute("INFO", "commandstats"))
                    .succeedsWithin(WAIT)
                    .asString()
                    .contains("cmdstat_debug:calls=1,");
            RedisTests.assertIdle(redis);
        }
    }

    @Test
    void dedicatedPoolExhaustedFailsAfterABoundedWaitWithCounters() {
        try (RedisClient redis = Redis.connect(RedisTests.options()
                .poolSize(1)
                .poolMaxWait(Duration.ofMillis(200))
                .build())) {
            CompletableFuture<Map.Entry<String, String>> first = redis.blpop(Duration.ofSeconds(5), P + "wait");
            CompletableFuture<Map.Entry<String, String>> second = redis.blpop(Duration.ofSeconds(5), P + "wait");
            CompletableFuture<Object> refused = CompletableFuture.anyOf(first, second)
                    .handle((v, e) -> e == null ? null : e.getCause() == null ? e : e.getCause());
            assertThat(refused).succeedsWithin(WAIT).isInstanceOfSatisfying(PoolExhaustedException.class, e -> {
                assertThat(e.getMessage())
                        .contains("no connection free within 200ms")
                        .contains("BLPOP");
                assertThat(e.stats().connectionsHeld()).isGreaterThanOrEqualTo(1);
            });
            CompletableFuture<Long> push = redis.rpush(P + "wait", "go");
            assertThat(push).succeedsWithin(WAIT);
            CompletableFuture<Map.Entry<String, String>> winner = first.isCompletedExceptionally() ? second : first;
            assertThat(winner).succeedsWithin(WAIT).isEqualTo(Map.entry(P + "wait", "go"));
            RedisTests.assertIdle(redis);
            Outcome outcome = Outcome.settle(List.of(first, second, push), WAIT);
            assertThat(outcome).isEqualTo(new Outcome(2, 1, 0));
            outcome.report(
                    "redis",
                    "pool exhaustion (dedicated connections)",
                    "2 BLPOPs and 1 RPUSH, pool 1, 200 ms max wait",
                    "second BLPOP finds no free connection",
                    0,
                    redis.stats().active());
        }
    }

    @Test
    void fullRequestQueueRefusesAtOnceWithCounters() {
        RedisOptions o = RedisOptions.fromUrl(slow.url()).toBuilder()
                .workers(1)
                .queueBound(2)
                .timeout(Duration.ofSeconds(5))
                .build();
        try (RedisClient redis = Redis.connect(o)) {
            CompletableFuture<Object> sleep = redis.execute("DEBUG", "SLEEP", "0.5");
            long until = System.nanoTime() + WAIT.toNanos();
            while (redis.stats().active() == 0) { // wait until the worker took the sleep off the queue
                assertThat(System.nanoTime()).as("the sleep started").isLessThan(until);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polls an in-process counter
            }
            List<CompletableFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gets.add(redis.get("q:" + i));
            }
            List<Throwable> refused = gets.stream()
                    .filter(CompletableFuture::isCompletedExceptionally)
                    .map(f -> f.exceptionNow())
                    .toList();
            assertThat(gets.get(2)).isCompletedExceptionally();
            assertThat(refused)
                    .hasSize(1)
                    .allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(PoolExhaustedException.class, p -> {
                        assertThat(p.getMessage())
                                .contains("request queue is full")
                                .contains("bound=2");
                        assertThat(p.stats().bound()).isEqualTo(2);
                        assertThat(p.stats().waiting()).isEqualTo(2);
                    }));
            assertThat(sleep).succeedsWithin(WAIT).isEqualTo("OK");
            gets.stream()
                    .filter(f -> !f.isCompletedExceptionally())
                    .forEach(f -> assertThat(f).succeedsWithin(WAIT).isNull());
            RedisTests.assertIdle(redis);
            List<CompletableFuture<?>> calls = new ArrayList<>(gets);
            calls.add(sleep);
            Outcome outcome = Outcome.settle(calls, WAIT);
            assertThat(outcome).isEqualTo(new Outcome(3, 1, 0));
            outcome.report(
                    "redis",
                    "request queue full",
                    "1 DEBUG SLEEP 0.5 and 3 GETs, 1 worker, queue bound 2",
                    "third GET finds the queue full",
                    0,
                    redis.stats().active());
        }
    }
}
