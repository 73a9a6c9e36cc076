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
    }

    @Test
    void masksPasswordParameters() {
        assertThat(Secrets.mask("jdbc:x://h/db?user=u&password=canary-42&ssl=true"))
                .isEqualTo("jdbc:x://h/db?user=u&password=***&ssl=true")
                .doesNotContain("canary");
        assertThat(Secrets.mask("FATAL: password=hunter2 rejected")).doesNotContain("hunter2");
    }
}
