package dev.vtdb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

    @Test
    void verifyFullAndRootCertReachThePgjdbcProperties() {
        HikariConfig h = Postgres.hikari(
                PgOptions.fromDsn("postgres://u:pw@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ca.pem"));
        assertThat(h.getJdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/app");
        assertThat(h.getDataSourceProperties())
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "/etc/ca.pem");
        assertThat(h.getPassword()).isEqualTo("pw");
    }

    @Test
    void multipleHostsAndTargetSessionAttrsMapToPgjdbc() {
        HikariConfig h = Postgres.hikari(
                PgOptions.fromDsn("postgres://u@h1:5432,h2:5433/my%20db?target_session_attrs=read-write"));
        assertThat(h.getJdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/my%20db");
        assertThat(h.getDataSourceProperties()).containsEntry("targetServerType", "primary");
        HikariConfig standby =
                Postgres.hikari(PgOptions.fromDsn("postgres://u@h1,h2/db?target_session_attrs=prefer-standby"));
        assertThat(standby.getDataSourceProperties()).containsEntry("targetServerType", "preferSecondary");
    }

    @Test
    void databaseDefaultsToTheUserName() {
        assertThat(Postgres.hikari(PgOptions.builder().user("alice").build()).getJdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost:5432/alice");
    }

    @Test
    void statementCacheIsOnByDefaultAndOffForPgBouncer() {
        PgOptions o = PgOptions.builder().user("u").build();
        assertThat(Postgres.hikari(o).getDataSourceProperties())
                .containsEntry("preparedStatementCacheQueries", "256")
                .containsEntry("reWriteBatchedInserts", "true")
                .doesNotContainKey("prepareThreshold");
        assertThat(Postgres.hikari(o.toBuilder().pgBouncerTransactionMode(true).build())
                        .getDataSourceProperties())
                .containsEntry("prepareThreshold", "0");
    }

    @Test
    void pipelineLimitDefaultsToSixteenComesFromTheDsnAndIsBounded() {
        assertThat(PgOptions.builder().user("u").build().pipelineLimit()).isEqualTo(16);
        assertThat(PgOptions.fromDsn("postgres://u@h/db?pipeline_limit=1").pipelineLimit())
                .isEqualTo(1);
        assertThat(PgOptions.fromDsn("postgres://u@h/db?pipeline_limit=64").toBuilder()
                        .build()
                        .pipelineLimit())
                .isEqualTo(64);
        assertThatThrownBy(() -> PgOptions.builder().user("u").pipelineLimit(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipelineLimit must be between 1 and 64 but was 0");
        assertThatThrownBy(() -> PgOptions.fromDsn("postgres://u:secret@h/db?pipeline_limit=65"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipelineLimit must be between 1 and 64 but was 65")
                .hasMessageNotContaining("secret");
    }

    @Test
    void spinWaitDefaultsToFiftyMicrosecondsIsBoundedAndItsSocketFactoryYieldsToTheUsers() {
        PgOptions o = PgOptions.builder().user("u").build();
        assertThat(o.spinWait()).isEqualTo(java.time.Duration.ofNanos(50_000));
        assertThat(o.toBuilder().spinWait(java.time.Duration.ZERO).build().toBuilder()
                        .build()
                        .spinWait())
                .isZero();
        assertThat(Postgres.hikari(o).getDataSourceProperties())
                .containsEntry("socketFactory", "dev.vtdb.postgres.internal.SpinWaitSocketFactory");
        assertThat(Postgres.hikari(o.toBuilder()
                                .driverProperty("socketFactory", "com.example.MySocketFactory")
                                .build())
                        .getDataSourceProperties())
                .containsEntry("socketFactory", "com.example.MySocketFactory");
        assertThatThrownBy(() -> PgOptions.builder()
                        .user("u")
                        .spinWait(java.time.Duration.ofNanos(-1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spinWait must be between 0 and 1ms but was PT-0.000000001S");
        assertThatThrownBy(() -> PgOptions.builder()
                        .user("u")
                        .spinWait(java.time.Duration.ofMillis(2))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spinWait must be between 0 and 1ms but was PT0.002S");
    }

    @Test
    void sslPasswordIsNoDriverPropertyButReachesPgjdbcThroughItsCallback() throws Exception {
        String secret = "KeyPass-" + java.util.UUID.randomUUID();
        HikariConfig h = Postgres.hikari(PgOptions.fromDsn(
                "postgres://u@h/db?sslmode=verify-full&sslpassword=" + secret + "&sslkey=/tmp/client.pk8"));
        java.util.Properties props = h.getDataSourceProperties();
        assertThat(props.toString()).doesNotContain(secret);
        assertThat(props.getProperty("sslkey")).isEqualTo("/tmp/client.pk8");
        assertThat(props.getProperty("sslpasswordcallback"))
                .isEqualTo(dev.vtdb.postgres.internal.SslKeyPassword.class.getName());
        // what pgjdbc does with the properties: instantiate the callback by name and ask it
        var callback =
                (javax.security.auth.callback.CallbackHandler) Class.forName(props.getProperty("sslpasswordcallback"))
                        .getConstructor(java.util.Properties.class)
                        .newInstance(props);
        var asked = new javax.security.auth.callback.PasswordCallback("key", false);
        callback.handle(new javax.security.auth.callback.Callback[] {asked});
        assertThat(new String(asked.getPassword())).isEqualTo(secret);
        dev.vtdb.postgres.internal.SslKeyPassword.forget(
                props.getProperty(dev.vtdb.postgres.internal.SslKeyPassword.REFERENCE));
    }
}
