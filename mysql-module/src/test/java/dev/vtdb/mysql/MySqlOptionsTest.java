package dev.vtdb.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.mysql.internal.MySqlDriverSupport;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** URL parsing, validation, secrets and the Connector/J properties options turn into. */
class MySqlOptionsTest {
    private static final String CANARY = "canary-Pw-41ab";

    @Test
    void parsesTheAiomysqlStyleUrl() {
        MySqlOptions o = MySqlOptions.fromUrl("mysql://root:p%40ss@db.example:3307/_hanser?connect_timeout=10");
        assertThat(o.host()).isEqualTo("db.example");
        assertThat(o.port()).isEqualTo(3307);
        assertThat(o.user()).isEqualTo("root");
        assertThat(o.password()).isEqualTo("p@ss");
        assertThat(o.database()).isEqualTo("_hanser");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.charset()).isEqualTo("utf8mb4");
    }

    @Test
    void acceptsSqlAlchemyAndMariaDbSchemes() {
        assertThat(MySqlOptions.fromUrl("mysql+pymysql://root:root@127.0.0.1:3306/_hanser")
                        .database())
                .isEqualTo("_hanser");
        assertThat(MySqlOptions.fromUrl("mysql+aiomysql://u@h/db").host()).isEqualTo("h");
        assertThat(MySqlOptions.fromUrl("mariadb://u@h:3310/db").port()).isEqualTo(3310);
        // aiomysql's pool bounds: maxsize is the pool size, minsize is checked and not needed
        assertThat(MySqlOptions.fromUrl("mysql://u@h/db?minsize=1&maxsize=5").poolSize())
                .isEqualTo(5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MySqlOptions.fromUrl("mysql://u@h/db?minsize=-1"))
                .hasMessageContaining("minsize");
        assertThat(MySqlOptions.fromUrl("mysql://[::1]:3306/db").host()).isEqualTo("::1");
        MySqlOptions defaults = MySqlOptions.fromUrl("mysql://");
        assertThat(defaults.host()).isEqualTo("localhost");
        assertThat(defaults.port()).isEqualTo(3306);
        assertThat(defaults.user()).isEqualTo("root");
        assertThat(defaults.password()).isNull();
        assertThat(defaults.database()).isNull();
    }

    @Test
    void parsesQueryParameters() {
        MySqlOptions o = MySqlOptions.fromUrl("mysql://u@h/db?charset=gbk&ssl_mode=verify_identity&ssl_ca=/etc/ca.p12"
                + "&command_timeout=2.5&pool_size=3&time_zone=%2B08:00&allow_public_key_retrieval=true"
                + "&program_name=app");
        assertThat(o.charset()).isEqualTo("gbk");
        assertThat(o.sslMode()).isEqualTo(MySqlOptions.SslMode.VERIFY_IDENTITY);
        assertThat(o.trustStore()).isEqualTo("/etc/ca.p12");
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(o.poolSize()).isEqualTo(3);
        assertThat(o.timeZone()).isEqualTo(ZoneOffset.ofHours(8));
        assertThat(o.allowPublicKeyRetrieval()).isTrue();
        assertThat(o.applicationName()).isEqualTo("app");
    }

    @Test
    void rejectsBadUrlsNamingThePartWithThePasswordMasked() {
        assertThatThrownBy(() -> MySqlOptions.fromUrl("postgres://u:" + CANARY + "@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mysql://")
                .hasMessageContaining("***")
                .hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> MySqlOptions.fromUrl("mysql://u:" + CANARY + "@h:x/db"))
                .hasMessageContaining("invalid port 'x'")
                .hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> MySqlOptions.fromUrl("mysql://u:" + CANARY + "@h/db?bogus=1"))
                .hasMessageContaining("unknown URL parameter 'bogus'")
                .hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> MySqlOptions.fromUrl("mysql://u:" + CANARY + "@h/db?connect_timeout=ten"))
                .hasMessageContaining("'ten' is not a number")
                .hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> MySqlOptions.fromUrl("mysql://u@h/db?ssl_mode=sometimes"))
                .hasMessageContaining("sslMode must be one of")
                .hasMessageContaining("'sometimes'");
        assertThatThrownBy(() -> MySqlOptions.fromUrl("mysql://u@h:70000/db")).hasMessageContaining("70000");
        assertThatThrownBy(() -> MySqlOptions.fromUrl("")).hasMessageContaining("empty");
    }

    @Test
    void validatesNamingTheBadValue() {
        assertThatThrownBy(() -> MySqlOptions.builder().poolSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be between 1 and 1000 but was 0");
        assertThatThrownBy(() -> MySqlOptions.builder().queueBound(-1).build())
                .hasMessage("queueBound must be > 0 but was -1");
        assertThatThrownBy(() ->
                        MySqlOptions.builder().connectTimeout(Duration.ZERO).build())
                .hasMessage("connectTimeout must be > 0 but was PT0S");
        assertThatThrownBy(() -> MySqlOptions.builder().fetchSize(0).build()).hasMessageContaining("fetchSize");
        assertThatThrownBy(() -> MySqlOptions.builder().statementCacheSize(-2).build())
                .hasMessageContaining("-2");
        assertThatThrownBy(() -> MySqlOptions.builder().charset("klingon").build())
                .hasMessageContaining("'klingon'")
                .hasMessageContaining("utf8mb4");
        assertThatThrownBy(() -> MySqlOptions.builder().collation("x; DROP").build())
                .hasMessageContaining("collation");
        assertThatThrownBy(() -> MySqlOptions.builder().port(0)).hasMessageContaining("but was 0");
        assertThatThrownBy(() -> MySqlOptions.builder().user("").build()).hasMessageContaining("user");
    }

    @Test
    void toStringNeverShowsPasswords() {
        MySqlOptions o = MySqlOptions.builder()
                .user("app")
                .password(CANARY)
                .trustStore("/etc/ts.p12", "PKCS12", CANARY)
                .database("shop")
                .build();
        assertThat(o.toString())
                .doesNotContain(CANARY)
                .contains("password=***")
                .contains("mysql://app@localhost:3306/shop");
        assertThat(MySqlOptions.fromUrl("mysql://u:" + CANARY + "@h/db").toString())
                .doesNotContain(CANARY);
        assertThat(o.toBuilder().build().password()).isEqualTo(CANARY);
    }

    @Test
    void toBuilderKeepsEveryValue() {
        MySqlOptions o = MySqlOptions.fromUrl("mysql://u:pw@h:3307/db?connect_timeout=3&charset=latin1").toBuilder()
                .poolSize(7)
                .fetchSize(50)
                .statementCacheSize(0)
                .collation("latin1_bin")
                .timeZone(ZoneOffset.ofHours(-5))
                .sslMode(MySqlOptions.SslMode.REQUIRED)
                .driverProperty("useCompression", "true")
                .build();
        MySqlOptions copy = o.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(o.toString());
        assertThat(copy.driverProperties()).containsEntry("useCompression", "true");
        assertThat(copy.collation()).isEqualTo("latin1_bin");
        assertThat(copy.password()).isEqualTo("pw");
    }

    @Test
    void safeDriverDefaults() {
        Properties p = MySql.hikari(MySqlOptions.builder().build()).getDataSourceProperties();
        assertThat(p)
                .containsEntry("allowLoadLocalInfile", "false")
                .containsEntry("allowUrlInLocalInfile", "false")
                .containsEntry("allowMultiQueries", "false")
                .containsEntry("allowPublicKeyRetrieval", "false")
                .containsEntry("useServerPrepStmts", "true")
                .containsEntry("cachePrepStmts", "true")
                .containsEntry("prepStmtCacheSize", "250")
                .containsEntry("rewriteBatchedStatements", "true")
                .containsEntry("useCursorFetch", "true")
                .containsEntry("tcpKeepAlive", "true")
                .containsEntry("characterEncoding", "UTF-8")
                .containsEntry("connectionTimeZone", "UTC")
                .containsEntry("forceConnectionTimeZoneToSession", "true")
                .containsEntry("preserveInstants", "true")
                .containsEntry("sslMode", "PREFERRED")
                .containsEntry("connectTimeout", "10000");
        assertThat(MySql.hikari(MySqlOptions.builder().build()).getJdbcUrl()).isEqualTo("jdbc:mysql://localhost:3306/");
    }

    @Test
    void tlsAndOverridesBecomeDriverProperties() {
        MySqlOptions o = MySqlOptions.builder()
                .host("db.example")
                .database("shop")
                .sslMode(MySqlOptions.SslMode.VERIFY_IDENTITY)
                .trustStore("/etc/vtdb/ca.p12", "PKCS12", "changeit")
                .allowPublicKeyRetrieval(true)
                .statementCacheSize(0)
                .timeZone(ZoneOffset.ofHours(8))
                .charset("utf8mb3")
                .driverProperty("rewriteBatchedStatements", "false")
                .build();
        var h = MySql.hikari(o);
        assertThat(h.getJdbcUrl()).isEqualTo("jdbc:mysql://db.example:3306/shop");
        assertThat(h.getDataSourceProperties())
                .containsEntry("sslMode", "VERIFY_IDENTITY")
                .containsEntry("trustCertificateKeyStoreUrl", "file:/etc/vtdb/ca.p12")
                .containsEntry("trustCertificateKeyStoreType", "PKCS12")
                .containsEntry("trustCertificateKeyStorePassword", "changeit")
                .containsEntry("allowPublicKeyRetrieval", "true")
                .containsEntry("cachePrepStmts", "false")
                .containsEntry("connectionTimeZone", "+08:00")
                .containsEntry("connectionCollation", "utf8mb3_general_ci")
                .containsEntry("rewriteBatchedStatements", "false");
        assertThat(MySqlOptions.SslMode.parse("verify-identity")).isEqualTo(MySqlOptions.SslMode.VERIFY_IDENTITY);
    }

    @Test
    void constraintNamesAreReadFromServerMessages() {
        MySqlDriverSupport d = new MySqlDriverSupport("mysql://h:3306/db", ZoneOffset.UTC);
        assertThat(d.constraintName(error("Duplicate entry '琪露诺' for key 'uq_girl_name'", 1062)))
                .isEqualTo("uq_girl_name");
        assertThat(d.constraintName(error("Duplicate entry 'x' for key 'girl.uq_girl_name'", 1062)))
                .as("MySQL 8 prefixes the table")
                .isEqualTo("uq_girl_name");
        assertThat(d.constraintName(error("Duplicate entry 'it''s for key 'x'' for key 'PRIMARY'", 1062)))
                .isEqualTo("PRIMARY");
        assertThat(d.constraintName(error(
                        "Cannot add or update a child row: a foreign key constraint fails (`db`.`child`, CONSTRAINT"
                                + " `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`))",
                        1452)))
                .isEqualTo("fk_child_parent");
        assertThat(d.constraintName(error("CONSTRAINT `chk_age` failed for `db`.`girl`", 4025)))
                .isEqualTo("chk_age");
        assertThat(d.constraintName(error("Check constraint 'chk_age' is violated.", 3819)))
                .isEqualTo("chk_age");
        assertThat(d.constraintName(error("Column 'name' cannot be null", 1048)))
                .isNull();
        assertThat(d.isConstraintViolation(error("x", 1062))).isTrue();
        assertThat(d.isConnectionError(new SQLException("Connection was killed", "70100", 1927)))
                .isTrue();
        assertThat(d.isCancellation(new SQLException("Query execution was interrupted", "70100", 1317)))
                .isTrue();
    }

    private static SQLException error(String message, int code) {
        return new SQLIntegrityConstraintViolationException(message, "23000", code);
    }

    @Test
    void spinWaitDefaultsToFiftyMicrosecondsIsBoundedAndItsSocketFactoryYieldsToTheUsers() {
        MySqlOptions o = MySqlOptions.builder().user("u").build();
        assertThat(o.spinWait()).isEqualTo(java.time.Duration.ofNanos(50_000));
        assertThat(o.toString()).endsWith(", spinWait=50us]");
        assertThat(o.toBuilder().spinWait(java.time.Duration.ZERO).build().toBuilder()
                        .build()
                        .spinWait())
                .isZero();
        assertThat(MySql.hikari(o).getDataSourceProperties())
                .containsEntry("socketFactory", "dev.vtdb.mysql.internal.MySqlSpinWaitSocketFactory");
        assertThat(MySql.hikari(o.toBuilder()
                                .driverProperty("socketFactory", "com.example.MySocketFactory")
                                .build())
                        .getDataSourceProperties())
                .containsEntry("socketFactory", "com.example.MySocketFactory");
        assertThatThrownBy(() -> MySqlOptions.builder()
                        .user("u")
                        .spinWait(java.time.Duration.ofMillis(2))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spinWait must be between 0 and 1ms but was PT0.002S");
    }
}
