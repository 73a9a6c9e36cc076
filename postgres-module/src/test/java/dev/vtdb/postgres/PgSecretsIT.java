package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vtdb.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A canary password must never show up in logs, exception messages, toString or thread names. Every
 * integration test connects with the same canary ({@link TestServers#CANARY_PASSWORD}) and {@link
 * dev.vtdb.testkit.SecretLeakCheck} scans their logs and thread names; this test adds the paths the
 * others rarely take: failed statements, a deadline, a server that does not answer and malformed
 * DSNs, checking the exception chains and {@code toString()} explicitly.
 */
class PgSecretsIT {
    private static final String CANARY = TestServers.CANARY_PASSWORD;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void canaryPasswordNeverLeaks() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger hikari = ctx.getLogger("com.zaxxer.hikari");
        Logger vtdb = ctx.getLogger("dev.vtdb");
        Level rootLevel = root.getLevel();
        Level hikariLevel = hikari.getLevel();
        Level vtdbLevel = vtdb.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        hikari.setLevel(Level.DEBUG);
        vtdb.setLevel(Level.DEBUG);
        List<String> seen = new ArrayList<>();
        try {
            String url = TestServers.postgresUrl();
            String host = TestServers.host(url);
            int port = TestServers.port(url);
            // trust auth: the password is sent and ignored, so every path below really runs
            String dsn = "postgres://postgres:" + CANARY + "@" + host + ":" + port + "/test?connect_timeout=2";
            try (PgDatabase db = Postgres.connect(dsn)) {
                seen.add(db.toString());
                seen.add(db.options().toString());
                assertThat(db.fetchValue("SELECT 1", Integer.class))
                        .succeedsWithin(WAIT)
                        .isEqualTo(1);
                seen.add(messages(db.fetch("SELEC broken")));
                seen.add(messages(db.withTimeout(Duration.ofMillis(200)).fetch("SELECT pg_sleep(5)")));
                seen.add(messages(db.execute("INSERT INTO no_such_table VALUES ($1)", CANARY.length())));
                Thread.getAllStackTraces().keySet().forEach(t -> seen.add(t.getName()));
            }
            // a server that does not answer
            try (PgDatabase down =
                    Postgres.connect("postgres://postgres:" + CANARY + "@127.0.0.1:1/test?connect_timeout=1")) {
                seen.add(down.toString());
                seen.add(messages(down.fetch("SELECT 1")));
            }
            // malformed DSNs
            seen.add(String.valueOf(
                    catchThrowable(() -> Postgres.connect("postgres://u:" + CANARY + "@h:notaport/db"))));
            seen.add(String.valueOf(
                    catchThrowable(() -> Postgres.connect("postgres://u:" + CANARY + "@h/db?sslmode=bogus"))));
            seen.add(String.valueOf(catchThrowable(() -> Postgres.connect("mysql://u:" + CANARY + "@h/db"))));
        } finally {
            root.detachAppender(appender);
            root.setLevel(rootLevel);
            hikari.setLevel(hikariLevel);
            vtdb.setLevel(vtdbLevel);
        }
        for (ILoggingEvent e : appender.list) {
            seen.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                seen.add(e.getThrowableProxy().getMessage());
            }
            seen.add(e.getThreadName());
        }
        assertThat(appender.list).as("captured log events").isNotEmpty();
        assertThat(seen).noneMatch(s -> s != null && s.contains(CANARY));
    }

    @Test
    void tlsKeyPassphraseFromTheDsnIsNotInHikarisDebugLog() {
        String secret = "SslKey-" + java.util.UUID.randomUUID();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger hikari = ctx.getLogger("com.zaxxer.hikari");
        Level before = hikari.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        hikari.addAppender(appender);
        hikari.setLevel(Level.DEBUG);
        String url = TestServers.postgresUrl();
        try (PgDatabase db = Postgres.connect("postgres://postgres@" + TestServers.host(url) + ":"
                + TestServers.port(url) + "/test?sslmode=disable&sslpassword=" + secret)) {
            assertThat(db.fetchValue("SELECT 1", Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(1);
            assertThat(db.toString()).doesNotContain(secret);
            assertThat(db.options().toString()).doesNotContain(secret);
        } finally {
            hikari.detachAppender(appender);
            hikari.setLevel(before);
        }
        assertThat(appender.list)
                .as("HikariCP logged its configuration")
                .anyMatch(e -> e.getFormattedMessage().contains("dataSourceProperties"));
        assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
    }

    private static String messages(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e)
                .orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();
        assertThat(t).as("the call must fail").isNotNull();
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
            for (Throwable s : c.getSuppressed()) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }
}
