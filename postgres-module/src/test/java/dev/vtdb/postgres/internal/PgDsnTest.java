package dev.vtdb.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.postgres.PgOptions;
import dev.vtdb.postgres.PgOptions.HostPort;
import dev.vtdb.postgres.PgOptions.SslMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgDsnTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private static PgOptions parse(String dsn) {
        return PgDsn.options(dsn, NO_ENV, null);
    }

    @Test
    void parsesAsyncpgDsnWithAllParts() {
        PgOptions o = parse("postgres://postgres:zgghyys123@localhost:5432/postgres");
        assertThat(o.hosts()).containsExactly(new HostPort("localhost", 5432));
        assertThat(o.user()).isEqualTo("postgres");
        assertThat(o.password()).isEqualTo("zgghyys123");
        assertThat(o.database()).isEqualTo("postgres");
        assertThat(parse("postgresql://u@db.example.com/app").hosts())
                .containsExactly(new HostPort("db.example.com", 5432));
    }

    @Test
    void decodesPercentEncodedParts() {
        PgOptions o = parse("postgres://us%40er:p%40ss%3Aw%2Fo+rd@h%6Fst:6543/my%20db");
        assertThat(o.user()).isEqualTo("us@er");
        assertThat(o.password()).isEqualTo("p@ss:w/o+rd");
        assertThat(o.hosts()).containsExactly(new HostPort("host", 6543));
        assertThat(o.database()).isEqualTo("my db");
    }

    @Test
    void acceptsIpv6Hosts() {
        assertThat(parse("postgres://u@[::1]:5433/db").hosts()).containsExactly(new HostPort("::1", 5433));
        assertThat(parse("postgres://u@[fe80::1]/db").hosts()).containsExactly(new HostPort("fe80::1", 5432));
    }

    @Test
    void parsesMultipleHostsWithTargetSessionAttrs() {
        PgOptions o = parse("postgres://u@host1:5432,host2:5433,host3/db?target_session_attrs=read-write");
        assertThat(o.hosts())
                .containsExactly(new HostPort("host1", 5432), new HostPort("host2", 5433), new HostPort("host3", 5432));
        assertThat(o.targetSessionAttrs()).isEqualTo("read-write");
        PgOptions q = parse("postgres://u@/db?host=a,b&port=5001,5002");
        assertThat(q.hosts()).containsExactly(new HostPort("a", 5001), new HostPort("b", 5002));
    }

    @Test
    void parsesQueryParameters() {
        PgOptions o = parse("postgresql://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=10"
                + "&application_name=my%20app&options=-c%20search_path%3Dapp&command_timeout=2.5");
        assertThat(o.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(o.sslRootCert()).isEqualTo("/etc/ca.pem");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.applicationName()).isEqualTo("my app");
        assertThat(o.serverOptions()).isEqualTo("-c search_path=app");
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void badPartsAreNamedAndPasswordMasked() {
        assertThatThrownBy(() -> parse("postgres://u:s3cret@h:54x2/db"))
                .hasMessageContaining("invalid port '54x2'")
                .hasMessageContaining("u:***@")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("postgres://u:s3cret@h:70000/db"))
                .hasMessageContaining("between 1 and 65535")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("mysql://u:s3cret@h/db"))
                .hasMessageContaining("scheme is 'mysql'")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("postgres://u:s3cret@h/db?sslmode=sometimes"))
                .hasMessageContaining("sslmode must be one of")
                .hasMessageContaining("'sometimes'")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("postgres://u:s3cret@h/db?colour=blue"))
                .hasMessageContaining("unknown DSN parameter 'colour'")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("postgres://u:s3%ZZcret@h/db"))
                .hasMessageContaining("percent-encoding in the password")
                .hasMessageNotContaining("s3%ZZcret");
        assertThatThrownBy(() -> parse("postgres://u:s3cret@h/db?connect_timeout=soon"))
                .hasMessageContaining("connect_timeout")
                .hasMessageContaining("not a number")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> parse("postgres://u:p@ss@h/db?target_session_attrs=fastest"))
                .hasMessageContaining("target_session_attrs")
                .hasMessageNotContaining("p@ss")
                .hasMessageNotContaining(":p@");
        assertThatThrownBy(() -> parse("postgres://u@/db?host=a,b&port=1,2,3"))
                .hasMessageContaining("3 port numbers to 2 hosts");
        assertThatThrownBy(() -> parse("postgres://u@%2Fvar%2Frun%2Fpostgresql/db"))
                .hasMessageContaining("Unix-domain socket");
        assertThatThrownBy(() -> parse(" ")).hasMessageContaining("must not be empty");
    }

    @Test
    void rawAtSignInPasswordIsMasked() {
        assertThat(PgDsn.mask("postgres://u:p@ss@h/db")).isEqualTo("postgres://u:***@h/db");
        assertThat(PgDsn.mask("postgres://h/db?password=secret")).doesNotContain("secret");
        PgOptions o = parse("postgres://u:p@ss@h/db");
        assertThat(o.password()).isEqualTo("p@ss");
        assertThat(o.toString()).doesNotContain("p@ss").contains("u:***@h:5432/db");
    }

    @Test
    void environmentFillsWhatTheDsnLeavesOut() {
        Map<String, String> env = Map.of(
                "PGHOST", "envhost1,envhost2",
                "PGPORT", "6000",
                "PGUSER", "envuser",
                "PGPASSWORD", "envpw",
                "PGDATABASE", "envdb",
                "PGSSLMODE", "require",
                "PGAPPNAME", "envapp",
                "PGCONNECT_TIMEOUT", "7");
        PgOptions o = PgDsn.options("postgres://", env, null);
        assertThat(o.hosts()).containsExactly(new HostPort("envhost1", 6000), new HostPort("envhost2", 6000));
        assertThat(o.user()).isEqualTo("envuser");
        assertThat(o.password()).isEqualTo("envpw");
        assertThat(o.database()).isEqualTo("envdb");
        assertThat(o.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(o.applicationName()).isEqualTo("envapp");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(7));

        PgOptions dsnWins = PgDsn.options("postgres://me:pw@dsnhost:5999/dsndb?sslmode=disable", env, null);
        assertThat(dsnWins.hosts()).containsExactly(new HostPort("dsnhost", 5999));
        assertThat(dsnWins.user()).isEqualTo("me");
        assertThat(dsnWins.password()).isEqualTo("pw");
        assertThat(dsnWins.database()).isEqualTo("dsndb");
        assertThat(dsnWins.sslMode()).isEqualTo(SslMode.DISABLE);

        PgOptions portFromEnv = PgDsn.options("postgres://u@somehost/db", Map.of("PGPORT", "6001"), null);
        assertThat(portFromEnv.hosts()).containsExactly(new HostPort("somehost", 6001));
    }

    @Test
    void passwordWithAQuestionMarkIsAcceptedAndNeverQuoted() {
        PgOptions o = parse("postgres://u:ab?cd@h:5433/db?sslmode=disable");
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.password()).isEqualTo("ab?cd");
        assertThat(o.hosts()).containsExactly(new HostPort("h", 5433));
        assertThat(o.database()).isEqualTo("db");
        assertThat(o.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(PgDsn.mask("postgres://u:ab?cd@h/db")).isEqualTo("postgres://u:***@h/db");
        assertThat(parse("postgres://u:p@s?s@h").password()).isEqualTo("p@s?s");
        assertThatThrownBy(() -> parse("postgres://u:ab?cd@h:54x2/db"))
                .hasMessageContaining("invalid port '54x2'")
                .hasMessageNotContaining("ab")
                .hasMessageNotContaining("cd@");
        assertThatThrownBy(() -> parse("postgres://u:ab?cd@h/db?colour=blue"))
                .hasMessageContaining("colour")
                .hasMessageNotContaining("ab?")
                .hasMessageNotContaining("?cd");
    }

    @Test
    void environmentIsUsedAndCheckedOnlyForWhatTheDsnLeavesOut() {
        Map<String, String> env = Map.of(
                "PGHOST", "/var/run/postgresql",
                "PGPORT", "fivefour",
                "PGSSLMODE", "maybe",
                "PGCONNECT_TIMEOUT", "soon",
                "PGUSER", "envuser");
        PgOptions o = PgDsn.options("postgres://u@h:5432/db?sslmode=disable&connect_timeout=3", env, null);
        assertThat(o.hosts()).containsExactly(new HostPort("h", 5432));
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.sslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        // a part the DSN leaves out takes the variable, and a bad one is named
        assertThatThrownBy(() -> PgDsn.options("postgres://u@h/db?sslmode=disable&connect_timeout=3", env, null))
                .hasMessageContaining("PGPORT")
                .hasMessageContaining("fivefour");
        assertThatThrownBy(() -> PgDsn.options("postgres://u@h:5432/db?connect_timeout=3", env, null))
                .hasMessageContaining("PGSSLMODE");
        assertThatThrownBy(() -> PgDsn.options("postgres://u@/db", env, null))
                .hasMessageContaining("Unix-domain socket");
        // a port parameter without a host goes with PGHOST's hosts
        PgOptions portOnly = PgDsn.options("postgres://u@/db?port=6100", Map.of("PGHOST", "a,b"), null);
        assertThat(portOnly.hosts()).containsExactly(new HostPort("a", 6100), new HostPort("b", 6100));
        PgOptions portParam = PgDsn.options("postgres://u@h1,h2/db?port=6200", Map.of("PGHOST", "x"), null);
        assertThat(portParam.hosts()).containsExactly(new HostPort("h1", 6200), new HostPort("h2", 6200));
    }

    @Test
    void passwordFileIsFoundUnderHomeFromTheEnvironmentFirst() {
        assertThat(PgDsn.defaultPassFile(Map.of("HOME", dir.toString()))).isEqualTo(dir.resolve(".pgpass"));
        assertThat(PgDsn.defaultPassFile(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".pgpass"));
        assertThat(PgDsn.defaultPassFile(Map.of("HOME", dir.toString(), "PGPASSFILE", "/x/pw")))
                .isEqualTo(Path.of("/x/pw"));
    }

    @Test
    void badEnvironmentValueIsNamed() {
        assertThatThrownBy(() -> PgDsn.options("postgres://", Map.of("PGPORT", "fivefour"), null))
                .hasMessageContaining("PGHOST/PGPORT")
                .hasMessageContaining("fivefour");
        assertThatThrownBy(() -> PgDsn.options("postgres://", Map.of("PGSSLMODE", "maybe"), null))
                .hasMessageContaining("PGSSLMODE")
                .hasMessageContaining("maybe");
    }

    @Test
    void databaseDefaultsToUserName() {
        PgOptions o = parse("postgres://alice@h");
        assertThat(PgDsn.databaseOf(o)).isEqualTo("alice");
    }

    private Path passFile(String content) throws IOException {
        Path f = dir.resolve("pgpass");
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void passwordFileFirstMatchingLineWins() throws IOException {
        Path f = passFile("""
                # comment
                otherhost:5432:*:alice:wrong
                db.example.com:5432:app:alice:first
                *:*:*:alice:fallback
                *:*:*:*:any
                """);
        assertThat(PgDsn.options("postgres://alice@db.example.com/app", NO_ENV, f)
                        .password())
                .isEqualTo("first");
        assertThat(PgDsn.options("postgres://alice@db.example.com/other", NO_ENV, f)
                        .password())
                .isEqualTo("fallback");
        assertThat(PgDsn.options("postgres://bob@x:1/y", NO_ENV, f).password()).isEqualTo("any");
        assertThat(PgDsn.options("postgres://alice:given@db.example.com/app", NO_ENV, f)
                        .password())
                .isEqualTo("given");
    }

    @Test
    void passwordFileHonoursEscapesAndPortAndSecondHost() throws IOException {
        Path f = passFile("""
                h1:5432:db:u:nope
                h2:6000:db:u:pa\\:ss\\\\word
                """);
        PgOptions o = PgDsn.options("postgres://u@h0:5432,h2:6000/db", NO_ENV, f);
        assertThat(o.password()).isEqualTo("pa:ss\\word");
        assertThat(PgDsn.options("postgres://u@h2:6001/db", NO_ENV, f).password())
                .isNull();
    }

    @Test
    void passwordFileReadableByOthersIsIgnored() throws IOException {
        Path f = passFile("*:*:*:*:secret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(PgDsn.options("postgres://u@h/db", NO_ENV, f).password()).isNull();
    }

    @Test
    void passFileFromEnvironmentAndDsnParameter() throws IOException {
        Path f = passFile("*:*:*:*:fromfile\n");
        assertThat(PgDsn.defaultPassFile(Map.of("PGPASSFILE", f.toString()))).isEqualTo(f);
        assertThat(PgDsn.options("postgres://u@h/db?passfile=" + f, NO_ENV, null)
                        .password())
                .isEqualTo("fromfile");
    }

    @Test
    void optionsBuilderValidatesAndNamesTheBadValue() {
        assertThatThrownBy(() -> PgOptions.builder().poolSize(0).build())
                .hasMessage("poolSize must be between 1 and 1000 but was 0");
        assertThatThrownBy(() -> PgOptions.builder().port(0))
                .hasMessageContaining("port must be between 1 and 65535 but was 0");
        assertThatThrownBy(
                        () -> PgOptions.builder().targetSessionAttrs("nearest").build())
                .hasMessageContaining("'nearest'");
        assertThatThrownBy(
                        () -> PgOptions.builder().connectTimeout(Duration.ZERO).build())
                .hasMessageContaining("connectTimeout must be > 0");
        PgOptions o = PgOptions.builder()
                .host("localhost")
                .port(5432)
                .user("postgres")
                .password("zgghyys123")
                .database("postgres")
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        assertThat(o.toString()).doesNotContain("zgghyys123").contains("postgres:***@localhost:5432/postgres");
        assertThat(SslMode.parse("verify-full")).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(SslMode.VERIFY_FULL.libpqName()).isEqualTo("verify-full");
    }
}
