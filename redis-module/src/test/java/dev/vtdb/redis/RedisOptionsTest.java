package dev.vtdb.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisOptionsTest {
    @Test
    void parsesUrlWithUserPasswordAndDatabase() {
        RedisOptions o = RedisOptions.fromUrl("redis://alice:s%40cret@db.example:6380/3");
        assertThat(o.host()).isEqualTo("db.example");
        assertThat(o.port()).isEqualTo(6380);
        assertThat(o.database()).isEqualTo(3);
        assertThat(o.user()).isEqualTo("alice");
        assertThat(o.password()).isEqualTo("s@cret");
        assertThat(o.ssl()).isFalse();
    }

    @Test
    void parsesTlsAndDefaults() {
        RedisOptions o = RedisOptions.fromUrl("rediss://cache.local");
        assertThat(o.ssl()).isTrue();
        assertThat(o.port()).isEqualTo(6379);
        assertThat(o.database()).isZero();
        assertThat(o.user()).isNull();
        assertThat(o.password()).isNull();
    }

    @Test
    void passwordOnlyUrlIsTheLegacyForm() {
        RedisOptions o = RedisOptions.fromUrl("redis://:pw@h:1/0");
        assertThat(o.user()).isNull();
        assertThat(o.password()).isEqualTo("pw");
    }

    @Test
    void toStringMasksThePassword() {
        RedisOptions o = RedisOptions.fromUrl("redis://bob:topsecret@h:1/2");
        assertThat(o.toString()).contains("bob:***@h:1/2").doesNotContain("topsecret");
    }

    @Test
    void badUrlMessagesMaskThePassword() {
        assertThatThrownBy(() -> RedisOptions.fromUrl("http://u:topsecret@h:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> RedisOptions.fromUrl("redis://u:topsecret@h:1/zero"))
                .hasMessageContaining("database must be a number")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void malformedUserInfoNeverReachesTheMessage() {
        for (String url : new String[] {
            "redis://SECRET@127.0.0.1:6379/notanumber", // the password-only form
            "redis://u:SEC RET@127.0.0.1:6379/0", // a space: not a URI
            "redis://u:p@SECRET@127.0.0.1:6379/x", // an unencoded @
            "rediss://u:SECRET/x@127.0.0.1:6379/0", // an unencoded /
        }) {
            assertThatThrownBy(() -> RedisOptions.fromUrl(url))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("127.0.0.1")
                    .hasMessageNotContaining("SEC")
                    .hasMessageNotContaining("RET");
        }
    }

    @Test
    void buildValidatesWithTerseMessages() {
        assertThatThrownBy(() -> RedisOptions.builder().poolSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be > 0 but was 0");
        assertThatThrownBy(() -> RedisOptions.builder().workers(0).build()).hasMessage("workers must be > 0 but was 0");
        assertThatThrownBy(() -> RedisOptions.builder().port(70000).build())
                .hasMessage("port must be <= 65535 but was 70000");
        assertThatThrownBy(() -> RedisOptions.builder().timeout(Duration.ZERO).build())
                .hasMessage("timeout must be > 0 but was PT0S");
        assertThatThrownBy(() -> RedisOptions.builder().clientName("a b").build())
                .hasMessageContaining("clientName must not contain spaces");
    }

    @Test
    void toBuilderKeepsEverything() {
        RedisOptions o = RedisOptions.builder()
                .host("x")
                .port(7)
                .workers(3)
                .poolSize(2)
                .queueBound(10)
                .timeout(Duration.ofMillis(300))
                .build();
        RedisOptions copy = o.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(o.toString());
    }

    @Test
    void setOptionsRejectContradictions() {
        assertThatThrownBy(() -> SetOptions.none().nx().xx()).hasMessage("NX and XX exclude each other");
        assertThatThrownBy(() -> SetOptions.none().ex(Duration.ofSeconds(1)).keepTtl())
                .hasMessage("EX/PX and KEEPTTL exclude each other");
        assertThat(SetOptions.none().px(Duration.ofMillis(1500)).nx().toString())
                .isEqualTo("SET PX 1500 NX");
    }

    @Test
    void pipelineResultKeepsErrorsAtTheirPosition() {
        RedisCommandException boom = new RedisCommandException("x", "INCR", "k", "ERR", null);
        PipelineResult r =
                new PipelineResult(java.util.Arrays.asList("a", null, 3L), java.util.Arrays.asList(null, boom, null));
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.get(0)).isEqualTo("a");
        assertThat(r.get(2)).isEqualTo(3L);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.error(1)).contains(boom);
        assertThatThrownBy(() -> r.get(1)).isSameAs(boom);
    }
}
