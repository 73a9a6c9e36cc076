package dev.vtdb.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The secret leak check finds the canary where it must not be, and only there. */
class SecretLeakCheckTest {
    private static final String CANARY = TestServers.CANARY_PASSWORD;

    @Test
    void captureReportsTheCanaryInDebugLinesArgumentsThrowablesAndJulRecords() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level before = ctx.getLogger("dev.vtdb").getLevel();
        SecretLeakCheck.Capture capture = SecretLeakCheck.Capture.start();
        List<String> leaks;
        try {
            org.slf4j.Logger log = LoggerFactory.getLogger("dev.vtdb.internal.Somewhere");
            log.debug("connecting to {}", "postgres://u:***@h/db"); // clean
            log.debug("connecting to {}", "postgres://u:" + CANARY + "@h/db");
            log.debug("connection failed", new IllegalStateException("outer", new SQLException("pw=" + CANARY)));
            LoggerFactory.getLogger("com.zaxxer.hikari.pool.HikariPool").debug("jdbcUrl {}", "x?password=" + CANARY);
            java.util.logging.Logger.getLogger("org.postgresql.Driver")
                    .log(
                            java.util.logging.Level.FINE,
                            "Connecting with URL: {0}",
                            "jdbc:postgresql://h/db?password=" + CANARY);
        } finally {
            leaks = capture.stop();
        }
        assertThat(capture.events()).isGreaterThanOrEqualTo(5);
        assertThat(leaks).hasSize(4);
        assertThat(leaks.get(0))
                .startsWith("log DEBUG dev.vtdb.internal.Somewhere")
                .contains("postgres://u:<CANARY>@h/db");
        assertThat(leaks.get(1)).contains("throwable java.sql.SQLException: pw=<CANARY>");
        assertThat(leaks.get(2)).contains("com.zaxxer.hikari.pool.HikariPool");
        assertThat(leaks.get(3)).startsWith("java.util.logging FINE org.postgresql.Driver");
        assertThat(leaks).noneMatch(l -> l.contains(CANARY));
        assertThat(ctx.getLogger("dev.vtdb").getLevel()).as("level restored").isEqualTo(before);
    }

    @Test
    void configuredAppendersStillSeeOnlyWhatTheirLevelsAllowed() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> console = new ListAppender<>(); // stands for logback-test.xml's STDOUT
        console.start();
        root.addAppender(console);
        try {
            SecretLeakCheck.Capture capture = SecretLeakCheck.Capture.start();
            try {
                LoggerFactory.getLogger("dev.vtdb.x").debug("debug only for the capture");
                LoggerFactory.getLogger("com.zaxxer.hikari.x").info("hikari info: WARN in logback-test.xml");
                LoggerFactory.getLogger("dev.vtdb.x").info("vtdb info: INFO in logback-test.xml");
            } finally {
                capture.stop();
            }
            assertThat(capture.events()).isEqualTo(3);
            assertThat(console.list)
                    .extracting(ILoggingEvent::getMessage)
                    .containsExactly("vtdb info: INFO in logback-test.xml");
            assertThat(console.getCopyOfAttachedFiltersList())
                    .as("filter removed")
                    .isEmpty();
        } finally {
            root.detachAppender(console);
        }
    }

    @Test
    void exceptionChainsWithTheCanaryAreReportedAsLeaks() {
        SQLException cause = new SQLException("FATAL: password authentication failed, password=" + CANARY);
        RuntimeException suppressedHolder = new RuntimeException("clean");
        suppressedHolder.addSuppressed(new IllegalArgumentException("bad url mysql://u:" + CANARY + "@h"));
        assertThat(SecretLeakCheck.leaksIn(new RuntimeException("clean", cause)))
                .singleElement()
                .asString()
                .contains("java.sql.SQLException")
                .doesNotContain(CANARY);
        assertThat(SecretLeakCheck.leaksIn(suppressedHolder)).hasSize(1);
        assertThat(SecretLeakCheck.leaksIn(new RuntimeException("nothing secret")))
                .isEmpty();

        Throwable clean = new AssertionError("expected 1 but was 2");
        assertThat(SecretLeakCheck.reportIfLeaked(clean)).isSameAs(clean);
        Throwable leaked = new AssertionError("expected <x> but was <postgres://u:" + CANARY + "@h>");
        assertThat(SecretLeakCheck.reportIfLeaked(leaked))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("message chain holds the canary password")
                .hasCause(leaked);
    }

    @Test
    void liveThreadsNamedWithTheCanaryAreReportedVirtualOnesToo() throws InterruptedException {
        assertThat(SecretLeakCheck.liveThreadLeaks()).isEmpty();
        CountDownLatch release = new CountDownLatch(1);
        Thread platform = Thread.ofPlatform()
                .daemon()
                .name("worker-for-postgres://u:" + CANARY + "@h")
                .start(() -> await(release));
        Thread virtual = Thread.ofVirtual().name("vworker-" + CANARY).start(() -> await(release));
        try {
            List<String> leaks = SecretLeakCheck.liveThreadLeaks();
            assertThat(leaks).anyMatch(l -> l.contains("worker-for-postgres://u:<CANARY>@h"));
            assertThat(leaks).anyMatch(l -> l.contains("vworker-<CANARY>"));
            assertThat(leaks).noneMatch(l -> l.contains(CANARY));
        } finally {
            release.countDown();
            platform.join();
            virtual.join();
        }
        assertThat(SecretLeakCheck.liveThreadLeaks()).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
