package dev.vtdb.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.examples.Endpoint.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServersTest {

    @Test
    void flagsWinOverEnvironmentAndEnvironmentFillsTheRest() {
        Servers.Options o = Servers.Options.parse(
                List.of("--pg-url", "postgres://u:secret@db:5432/x", "--redis-url=redis://r:6380/1"),
                Map.of("VTDB_MYSQL_URL", "mysql://root@m:3306/y", "VTDB_REDIS_URL", "redis://ignored:1/0"));
        assertThat(o.urls())
                .containsEntry(Kind.POSTGRES, "postgres://u:secret@db:5432/x")
                .containsEntry(Kind.MYSQL, "mysql://root@m:3306/y")
                .containsEntry(Kind.REDIS, "redis://r:6380/1");
        assertThat(o.forceEmbedded()).isFalse();
    }

    @Test
    void embeddedFlagIgnoresTheEnvironment() {
        Servers.Options o = Servers.Options.parse(List.of("--embedded"), Map.of("VTDB_PG_URL", "postgres://x@h/d"));
        assertThat(o.forceEmbedded()).isTrue();
        assertThat(o.urls()).isEmpty();
    }

    @Test
    void unknownArgumentAndMissingUrlAreRejectedWithTheAcceptedFlags() {
        assertThatThrownBy(() -> Servers.Options.parse(List.of("--pg"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--pg-url URL");
        assertThatThrownBy(() -> Servers.Options.parse(List.of("--mysql-url"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mysql-url needs a URL");
    }

    @Test
    void endpointNeverPrintsItsPasswordButKeepsIt() {
        Endpoint ep = new Endpoint(Kind.POSTGRES, "postgres://u:s%40cret@db:5433/x", "given");
        assertThat(ep.toString()).doesNotContain("cret").contains("postgres://u:***@db:5433/x");
        assertThat(ep.password()).isEqualTo("s@cret");
        assertThat(ep.user()).isEqualTo("u");
        assertThat(ep.port()).isEqualTo(5433);
        assertThat(ep.database()).isEqualTo("x");
        assertThat(new Endpoint(Kind.REDIS, "redis://127.0.0.1/0", "local").port())
                .isEqualTo(6379);
    }

    @Test
    void targetPutsTheNamespaceIntoTheSearchPathAndRejectsNonIdentifiers() {
        Target t = new Target(new Endpoint(Kind.POSTGRES, "postgres://u@h:5432/d", "given"), "vtdb_x");
        assertThat(t.pgDsn()).isEqualTo("postgres://u@h:5432/d?options=-c%20search_path%3Dvtdb_x");
        assertThat(t.redisPrefix()).isEqualTo("vtdb:vtdb_x:");
        assertThatThrownBy(() -> new Target(t.endpoint(), "x; drop table girl"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void originSaysWhetherTheUrlCameFromAFlagOrTheEnvironment() {
        Servers.Options o = Servers.Options.parse(
                List.of("--pg-url", "postgres://u@db:5432/x"), Map.of("VTDB_REDIS_URL", "redis://r:6380/1"));
        assertThat(o.origin(Kind.POSTGRES)).isEqualTo("given by --pg-url");
        assertThat(o.origin(Kind.REDIS)).isEqualTo("from VTDB_REDIS_URL");
        assertThat(new Servers.Options(Map.of(Kind.MYSQL, "mysql://m/y"), false).origin(Kind.MYSQL))
                .isEqualTo("given");
    }

    @Test
    void malformedUrlIsRejectedNamingTheFlagOrVariableButNotThePassword() {
        assertThatThrownBy(() ->
                        Servers.Options.parse(List.of("--mysql-url", "mysql://root:s3cret@h st:3306/x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--mysql-url is not a MySQL/MariaDB URL (")
                .hasMessageContaining("mysql://root:***@h st:3306/x")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Servers.Options.parse(List.of(), Map.of("VTDB_PG_URL", "localhost:5432")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("VTDB_PG_URL is not a PostgreSQL URL (it has no host)");
    }

    @Test
    void oneLineNamesTheDeepestCause() {
        Exception e = new IllegalStateException(
                "An error occurred while installing the database",
                new RuntimeException(
                        "wrapper", new java.io.IOException("mariadbd: Can't create directory\nsecond line")));
        assertThat(Servers.oneLine(e)).isEqualTo("IOException: mariadbd: Can't create directory");
        assertThat(Servers.oneLine(new java.nio.file.NoSuchFileException("/tmp/x\nsecond")))
                .isEqualTo("NoSuchFileException: /tmp/x");
    }
}
