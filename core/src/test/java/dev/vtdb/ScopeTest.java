package dev.vtdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ScopeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void joinWaitsForAllForks() {
        try (Scope scope = Scope.open(WAIT)) {
            CompletableFuture<Integer> a = scope.fork(() -> 1);
            CompletableFuture<Integer> b = scope.fork(() -> 2);
            scope.join();
            assertThat(a.join() + b.join()).isEqualTo(3);
        }
    }

    @Test
    void firstFailureCancelsSiblingsAndIsRethrown() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        try (Scope scope = Scope.open(WAIT)) {
            CompletableFuture<Object> slow = scope.fork(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.complete(true);
                }
                return null;
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            scope.fork(() -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(scope::join).isInstanceOf(VtdbException.class).hasRootCauseMessage("boom");
            assertThat(slow).isCancelled();
        }
        assertThat(interrupted).succeedsWithin(WAIT).isEqualTo(true);
    }

    @Test
    void deadlineFailsJoinAndCancelsForks() {
        try (Scope scope = Scope.open(Duration.ofMillis(100))) {
            CompletableFuture<Object> hang = scope.fork(() -> {
                new CountDownLatch(1).await();
                return null;
            });
            assertThatThrownBy(scope::join)
                    .isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("timeout 100ms");
            assertThat(hang).isCancelled();
        }
    }

    @Test
    void closeNeverLeavesAnOrphan() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> finished = new CompletableFuture<>();
        Scope scope = Scope.open();
        scope.fork(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } finally {
                finished.complete(true);
            }
            return null;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        scope.close();
        assertThat(finished).isCompletedWithValue(true);
    }

    @Test
    void mdcIsCarriedIntoForks() {
        MDC.put("request", "r-42");
        try (Scope scope = Scope.open(WAIT)) {
            CompletableFuture<String> seen = scope.fork(() -> MDC.get("request"));
            scope.join();
            assertThat(seen.join()).isEqualTo("r-42");
        } finally {
            MDC.remove("request");
        }
    }

    @Test
    void nestedScopeOnlyShortensTheDeadline() {
        try (Scope outer = Scope.open(Duration.ofMillis(200))) {
            try (Scope inner = Scope.open(Duration.ofSeconds(60))) {
                assertThat(inner.remaining()).isLessThanOrEqualTo(Duration.ofMillis(200));
            }
            assertThat(outer.remaining()).isNotNull();
        }
    }

    @Test
    void onlyTheOwnerMayForkOrClose() {
        try (Scope scope = Scope.open(WAIT)) {
            CompletableFuture<Throwable> other = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    scope.fork(() -> 1);
                    other.complete(null);
                } catch (Throwable t) {
                    other.complete(t);
                }
            });
            assertThat(other).succeedsWithin(WAIT).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> Scope.open(Duration.ZERO)).hasMessageContaining("must be > 0");
    }
}
