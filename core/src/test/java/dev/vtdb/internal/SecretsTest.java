package dev.vtdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void masksUrlPasswords() {
        assertThat(Secrets.mask("postgres://postgres:zgghyys123@localhost:5432/postgres"))
                .isEqualTo("postgres://postgres:***@localhost:5432/postgres");
        assertThat(Secrets.mask("redis://default:s3cr3t@h:6379/0")).isEqualTo("redis://default:***@h:6379/0");
        assertThat(Secrets.mask("mysql://root@h/db")).isEqualTo("mysql://root@h/db");
        assertThat(Secrets.mask("postgres://h:5432/db")).isEqualTo("postgres://h:5432/db");
    }

    @Test
    void masksMalformedUserInfoWhole() {
        // a space, an unencoded @ or / in the password: everything up to the last @ is user-info
        assertThat(Secrets.mask("bad URL redis://u:SEC RET@127.0.0.1:6379/0 (Illegal character)"))
                .isEqualTo("bad URL redis://u:***@127.0.0.1:6379/0 (Illegal character)");
        assertThat(Secrets.mask("redis://u:p@SECRET@127.0.0.1:6379/0")).isEqualTo("redis://u:***@127.0.0.1:6379/0");
        assertThat(Secrets.mask("postgres://u:a/SECRET@h/db")).isEqualTo("postgres://u:***@h/db");
        assertThat(Secrets.mask("mysql://SEC RET@h/db")).isEqualTo("mysql://***@h/db");
        assertThat(Secrets.mask("mysql://:SECRET@h/db")).isEqualTo("mysql://***@h/db");
    }

    @Test
    void aDriverMessageAfterAUrlWithoutUserInfoStaysReadable() {
        // an @ later on the line that belongs to the message, not to the URL
        String denied = "could not get a connection to mysql://127.0.0.1:3306/test: Access denied for user"
                + " 'root'@'127.0.0.1' (using password: YES) (SQLSTATE 28000, vendor code 1045)";
        assertThat(Secrets.mask(denied))
                .isEqualTo(denied.replace("password: YES", "password: ***"))
                .contains("Access denied for user 'root'@'127.0.0.1'");
        String role = "postgresql://127.0.0.1:5432/test: FATAL: role \"a@b\" does not exist";
        assertThat(Secrets.mask(role)).isEqualTo(role);
        // a URL with a password before such a message is still masked
        assertThat(Secrets.mask("mysql://root:SECRET@h:3306/test: Access denied for user 'root'@'h'"))
                .isEqualTo("mysql://root:***@h:3306/test: Access denied for user 'root'@'h'");
    }

    @Test
    void masksRedisPasswordOnlyForm() {
        assertThat(Secrets.mask("redis://SECRET@127.0.0.1:6379/notanumber"))
                .isEqualTo("redis://***@127.0.0.1:6379/notanumber");
        assertThat(Secrets.mask("cannot parse rediss://SECRET@h:6380/0"))
                .isEqualTo("cannot parse rediss://***@h:6380/0");
    }

    @Test
    void masksEachUrlOfAListAndLineSeparately() {
        assertThat(Secrets.mask("seeds redis://a:S1@h1:7000, redis://a:S2@h2:7001"))
                .isEqualTo("seeds redis://a:***@h1:7000, redis://a:***@h2:7001");
        assertThat(Secrets.mask("postgres://u:S1@h/db failed\ncontact admin@example.com"))
                .isEqualTo("postgres://u:***@h/db failed\ncontact admin@example.com");
    }

    @Test
    void masksPasswordParameters() {
        assertThat(Secrets.mask("jdbc:x://h/db?user=u&password=canary-42&ssl=true"))
                .isEqualTo("jdbc:x://h/db?user=u&password=***&ssl=true")
                .doesNotContain("canary");
        assertThat(Secrets.mask("FATAL: password=hunter2 rejected")).doesNotContain("hunter2");
    }
}
