package dev.vtdb.redis;

import static dev.vtdb.redis.RedisTests.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisPipelineTransactionIT {
    private static final String P = "vtdb:it:ptx:";
    private static RedisClient redis;

    @BeforeAll
    static void connect() {
        redis = Redis.connect(RedisTests.options()
                .clientName("vtdb-it-ptx")
                .maxTransactionAttempts(3)
                .build());
    }

    @AfterAll
    static void cleanUp() {
        RedisTests.deleteKeys(redis, P);
        redis.close();
    }

    @Test
    void pipelineReturnsRepliesInOrderWithErrorsAtTheirPosition() {
        redis.set(P + "str", "text").join();
        AtomicInteger seen = new AtomicInteger();
        CompletableFuture<PipelineResult> result = redis.pipeline(p -> {
            p.set(P + "a", "1");
            p.incr(P + "a");
            p.incr(P + "str").whenComplete((v, e) -> seen.incrementAndGet()); // ERR not an integer
            p.get(P + "a");
            p.hset(P + "h", "f", "v");
            p.lpush(P + "str", "x"); // WRONGTYPE
            p.hgetAll(P + "h");
        });
        assertThat(result).succeedsWithin(WAIT).satisfies(r -> {
            assertThat(r.size()).isEqualTo(7);
            assertThat(r.get(0)).isNull();
            assertThat(r.get(1)).isEqualTo(2L);
            assertThat(r.error(2)).hasValueSatisfying(e -> {
                assertThat(e.command()).isEqualTo("INCR");
                assertThat(e.key()).isEqualTo(P + "str");
                assertThat(e.getMessage()).contains("not an integer");
            });
            assertThat(r.get(3)).isEqualTo("2");
            assertThat(r.get(4)).isEqualTo(1L);
            assertThat(r.error(5))
                    .hasValueSatisfying(e -> assertThat(e.errorCode()).isEqualTo("WRONGTYPE"));
            assertThat(r.get(6)).isEqualTo(Map.of("f", "v"));
            assertThat(r.hasErrors()).isTrue();
        });
        assertThat(seen).hasValue(1);
    }

    @Test
    void pipelineFuturesCompleteWithTypedValues() {
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<Long>> last =
                new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<PipelineResult> result = redis.pipeline(p -> {
            for (int i = 0; i < 500; i++) {
                last.set(p.incr(P + "many"));
            }
        });
        assertThat(result)
                .succeedsWithin(WAIT)
                .satisfies(r -> assertThat(r.size()).isEqualTo(500));
        assertThat(last.get()).isCompletedWithValue(500L);
        assertThat(redis.pipeline(p -> {}))
                .succeedsWithin(WAIT)
                .satisfies(r -> assertThat(r.size()).isZero());
    }

    @Test
    void pipelineBodyFailureSendsNothing() {
        CompletableFuture<PipelineResult> result = redis.pipeline(p -> {
            p.set(P + "never", "1");
            throw new IllegalStateException("body broke");
        });
        assertThat(result)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(redis.exists(P + "never")).succeedsWithin(WAIT).isEqualTo(0L);
    }

    @Test
    void transactionCommitsAtomically() {
        redis.set(P + "balance", "100").join();
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of(P + "balance"), t -> {
            long balance = Long.parseLong(t.read(P + "balance"));
            t.set(P + "balance", String.valueOf(balance - 30));
            t.rpush(P + "ledger", "-30");
            t.incr(P + "balance");
        });
        assertThat(tx).succeedsWithin(WAIT).satisfies(r -> {
            assertThat(r.values()).containsExactly(null, 1L, 71L);
            assertThat(r.hasErrors()).isFalse();
        });
        assertThat(redis.get(P + "balance")).succeedsWithin(WAIT).isEqualTo("71");
    }

    @Test
    void watchConflictRetriesTheBody() {
        redis.set(P + "w", "0").join();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of(P + "w"), t -> {
            runs.incrementAndGet();
            String v = t.read(P + "w");
            if (t.attempt() == 1) {
                redis.incr(P + "w").join(); // another client changes the watched key
            }
            t.set(P + "w", v + "+tx");
        });
        assertThat(tx).succeedsWithin(WAIT);
        assertThat(runs).hasValue(2);
        assertThat(redis.get(P + "w")).succeedsWithin(WAIT).isEqualTo("1+tx");
    }

    @Test
    void watchConflictGivesUpAfterTheBound() {
        redis.set(P + "hot", "0").join();
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of(P + "hot"), t -> {
            t.read(P + "hot");
            redis.incr(P + "hot").join(); // always changed before EXEC
            t.set(P + "hot", "mine");
        });
        assertThat(tx)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RedisWatchConflictException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.getMessage())
                            .contains("gave up after 3 attempts")
                            .contains(P + "hot");
                });
        assertThat(redis.get(P + "hot")).succeedsWithin(WAIT).isEqualTo("3");
    }

    @Test
    void watchConflictWithOneAttemptSaysAttemptInTheSingular() {
        try (RedisClient once = Redis.connect(RedisTests.options()
                .clientName("vtdb-it-ptx-once")
                .maxTransactionAttempts(1)
                .build())) {
            once.set(P + "hot1", "0").join();
            assertThat(once.transaction(List.of(P + "hot1"), t -> {
                        t.read(P + "hot1");
                        redis.incr(P + "hot1").join();
                        t.set(P + "hot1", "mine");
                    }))
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(RedisWatchConflictException.class)
                    .withMessageContaining(
                            "gave up after 1 attempt: another client changed a watched key before its EXEC");
            RedisTests.assertIdle(once);
        }
    }

    @Test
    void transactionBodyErrorDiscardsAndSurfaces() {
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of(), t -> {
            t.set(P + "tx-never", "1");
            throw new IllegalArgumentException("changed my mind");
        });
        assertThat(tx)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class)
                .withMessageContaining("changed my mind");
        assertThat(redis.exists(P + "tx-never")).succeedsWithin(WAIT).isEqualTo(0L);
        // the dedicated connection went back clean: a later transaction works
        assertThat(redis.transaction(List.of(), t -> t.set(P + "tx-later", "1")))
                .succeedsWithin(WAIT);
    }

    @Test
    void failedBodyLeavesNoWatchOnThePooledConnection() {
        try (RedisClient one = Redis.connect(RedisTests.options().poolSize(1).build())) {
            one.set(P + "watched", "0").join();
            CompletableFuture<PipelineResult> failed = one.transaction(List.of(P + "watched"), t -> {
                throw new IllegalStateException("body broke");
            });
            assertThat(failed)
                    .failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class);
            // a WATCH left on the only connection would make the next EXEC run nothing
            redis.set(P + "watched", "changed").join();
            AtomicInteger attempt = new AtomicInteger();
            assertThat(one.transaction(List.of(), t -> {
                        attempt.set(t.attempt());
                        t.set(P + "after-unwatch", "1");
                    }))
                    .succeedsWithin(WAIT);
            assertThat(attempt).hasValue(1);
            RedisTests.assertIdle(one);
        }
    }

    @Test
    void commandRefusedWhileQueueingAbortsTheWholeTransaction() {
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of(P + "abort"), t -> {
            t.set(P + "abort", "never");
            t.execute("NO-SUCH-COMMAND");
        });
        assertThat(tx)
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(RedisCommandException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("EXECABORT");
                    assertThat(e.getCause().getSuppressed())
                            .singleElement()
                            .satisfies(q -> assertThat(q.getMessage()).contains("unknown command"));
                });
        assertThat(redis.exists(P + "abort")).succeedsWithin(WAIT).isEqualTo(0L);
        assertThat(redis.transaction(List.of(P + "abort"), t -> t.set(P + "abort", "later")))
                .succeedsWithin(WAIT);
        assertThat(redis.get(P + "abort")).succeedsWithin(WAIT).isEqualTo("later");
    }

    @Test
    void execErrorsStayAtTheirPosition() {
        redis.set(P + "txs", "text").join();
        CompletableFuture<PipelineResult> tx = redis.transaction(List.of(), t -> {
            t.incr(P + "txs");
            t.set(P + "txs2", "ok");
        });
        assertThat(tx).succeedsWithin(WAIT).satisfies(r -> {
            assertThat(r.error(0)).isPresent();
            assertThat(r.get(1)).isNull();
        });
        assertThat(redis.get(P + "txs2")).succeedsWithin(WAIT).isEqualTo("ok");
    }

    @Test
    void evalCachesTheScriptAndSurvivesScriptFlush() {
        String script = "return redis.call('incrby', KEYS[1], ARGV[1])";
        assertThat(redis.eval(script, List.of(P + "lua"), List.of("5")))
                .succeedsWithin(WAIT)
                .isEqualTo(5L);
        String sha = redis.scriptLoad(script).join();
        assertThat(redis.evalsha(sha, List.of(P + "lua"), List.of("1")))
                .succeedsWithin(WAIT)
                .isEqualTo(6L);
        // the server forgets every script: eval sends EVALSHA, gets NOSCRIPT and falls back to EVAL
        RedisOptions o = RedisTests.options().build();
        try (var admin = new redis.clients.jedis.Jedis(o.host(), o.port())) {
            assertThat(admin.scriptFlush()).isEqualTo("OK");
        }
        assertThat(redis.evalsha(sha, List.of(P + "lua"), List.of("1")))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        RedisCommandException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("NOSCRIPT"));
        assertThat(redis.eval(script, List.of(P + "lua"), List.of("10")))
                .succeedsWithin(WAIT)
                .isEqualTo(16L);
        assertThat(redis.evalsha(sha, List.of(P + "lua"), List.of("0")))
                .succeedsWithin(WAIT)
                .isEqualTo(16L);
    }

    @Test
    void lockIsExclusiveAndReleasedOnlyByItsHolder() {
        String key = P + "lock";
        Optional<RedisLock> first = redis.tryLock(key, Duration.ofSeconds(10)).join();
        assertThat(first).isPresent();
        assertThat(redis.tryLock(key, Duration.ofSeconds(10)))
                .succeedsWithin(WAIT)
                .isEqualTo(Optional.empty());
        assertThat(first.get().extend(Duration.ofSeconds(20)))
                .succeedsWithin(WAIT)
                .isEqualTo(true);
        assertThat(redis.ttl(key))
                .succeedsWithin(WAIT)
                .satisfies(t -> assertThat(t).isGreaterThan(10L));
        assertThat(first.get().release()).succeedsWithin(WAIT).isEqualTo(true);
        assertThat(first.get().release()).succeedsWithin(WAIT).isEqualTo(false);
        Optional<RedisLock> second = redis.tryLock(key, Duration.ofSeconds(10)).join();
        assertThat(second).isPresent();
        assertThat(first.get().release()).succeedsWithin(WAIT).isEqualTo(false); // not the holder anymore
        assertThat(redis.get(key)).succeedsWithin(WAIT).isEqualTo(second.get().token());
        assertThat(second.get().release()).succeedsWithin(WAIT).isEqualTo(true);
    }

    @Test
    void lockClosedByTryWithResourcesIsReleased() {
        String key = P + "lock:auto";
        try (RedisLock lock = redis.tryLock(key, Duration.ofSeconds(10)).join().orElseThrow()) {
            assertThat(redis.get(key)).succeedsWithin(WAIT).isEqualTo(lock.token());
        }
        assertThat(redis.exists(key)).succeedsWithin(WAIT).isEqualTo(0L);
        // closing a lock someone else took over leaves theirs alone
        RedisLock stale = redis.tryLock(key, Duration.ofSeconds(10)).join().orElseThrow();
        assertThat(stale.release()).succeedsWithin(WAIT).isEqualTo(true);
        RedisLock current = redis.tryLock(key, Duration.ofSeconds(10)).join().orElseThrow();
        stale.close();
        assertThat(redis.get(key)).succeedsWithin(WAIT).isEqualTo(current.token());
        current.close();
    }

    record Girl(int id, String name) {}

    @Test
    void cachedLoadsOnceThenServesFromRedis() {
        RedisCodec<Girl> codec = RedisCodec.of(g -> g.id() + "|" + g.name(), s -> {
            String[] f = s.split("\\|", 2);
            return new Girl(Integer.parseInt(f[0]), f[1]);
        });
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Supplier<CompletableFuture<Girl>> loader = () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(new Girl(1, "Aiko"));
        };
        assertThat(redis.cached(P + "girl:1", Duration.ofMinutes(1), codec, loader))
                .succeedsWithin(WAIT)
                .isEqualTo(new Girl(1, "Aiko"));
        assertThat(redis.cached(P + "girl:1", Duration.ofMinutes(1), codec, loader))
                .succeedsWithin(WAIT)
                .isEqualTo(new Girl(1, "Aiko"));
        assertThat(loads).hasValue(1);
        assertThat(redis.ttl(P + "girl:1"))
                .succeedsWithin(WAIT)
                .satisfies(t -> assertThat(t).isPositive());
        assertThat(redis.cached(
                        P + "girl:none",
                        Duration.ofMinutes(1),
                        RedisCodec.string(),
                        () -> CompletableFuture.completedFuture(null)))
                .succeedsWithin(WAIT)
                .isNull();
        assertThat(redis.exists(P + "girl:none")).succeedsWithin(WAIT).isEqualTo(0L);
        assertThat(redis.cached(
                        P + "girl:err",
                        Duration.ofMinutes(1),
                        RedisCodec.string(),
                        () -> CompletableFuture.failedFuture(new IllegalStateException("db down"))))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
    }
}
