package dev.vtdb.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vtdb.redis.SetOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InternalsTest {
    @Test
    void clusterNodesReplyListsOnlyLiveMasters() {
        String reply = String.join(
                "\n",
                "07c3 127.0.0.1:30004@40004 slave e7d1 0 1426238317239 4 connected",
                "67ed 127.0.0.1:30002@40002 master - 0 1426238316232 2 connected 5461-10922",
                "292f 127.0.0.1:30003@40003 master - 0 1426238318243 3 connected 10923-16383",
                "e7d1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460",
                "9999 127.0.0.1:30009@40009 master,fail - 0 0 9 disconnected");
        assertThat(ClusterEngine.masters(reply))
                .containsExactly("127.0.0.1:30002", "127.0.0.1:30003", "127.0.0.1:30001");
    }

    @Test
    void rawRepliesAreDecodedAsUtf8() {
        Object decoded = StrictUtf8.reply(
                List.of("héllo".getBytes(StandardCharsets.UTF_8), 3L, List.of("x".getBytes(StandardCharsets.UTF_8))));
        assertThat(decoded).isEqualTo(List.of("héllo", 3L, List.of("x")));
    }

    @Test
    void bytesThatAreNotUtf8FailInsteadOfBecomingReplacementCharacters() {
        assertThat(StrictUtf8.decode("琪露诺 \uD83C\uDF19".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("琪露诺 \uD83C\uDF19");
        // a value that really holds U+FFFD is text
        assertThat(StrictUtf8.decode("a\uFFFDb".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("a\uFFFDb");
        assertThat(StrictUtf8.decode(null)).isNull();
        assertThatThrownBy(() -> StrictUtf8.decode(new byte[] {'o', 'k', (byte) 0xC3, 0x28}))
                .isInstanceOf(StrictUtf8.Malformed.class)
                .hasMessage("bytes C3 at offset 2")
                .hasCauseInstanceOf(java.nio.charset.MalformedInputException.class);
        assertThatThrownBy(() -> StrictUtf8.decode(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x8C}))
                .hasMessage("bytes F0 9F 8C at offset 0");
        assertThatThrownBy(() -> StrictUtf8.reply(List.of(List.of(new byte[] {(byte) 0xFF}))))
                .isInstanceOf(StrictUtf8.Malformed.class);
        StrictUtf8.Malformed m = new StrictUtf8.Malformed("bytes C3 at offset 0", null);
        assertThat(m.toCommandException("vtdb-redis", "GET", "k"))
                .hasMessage("vtdb-redis: GET key 'k' returned a value that is not valid UTF-8 (bytes C3 at offset 0);"
                        + " read it with getBytes(key), the byte[] variant")
                .satisfies(e -> assertThat(e.command()).isEqualTo("GET"));
    }

    @Test
    void scriptShaMatchesRedis() {
        // redis-cli SCRIPT LOAD "return 1" -> e0e1f9fabfc9d4800c877a703b823ac0578ff8db
        assertThat(DefaultRedisClient.sha1("return 1")).isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    }

    @Test
    void setOptionsBecomeJedisParams() {
        assertThat(CommandSupport.params(
                        SetOptions.none().ex(Duration.ofMillis(2500)).nx()))
                .isEqualTo(new redis.clients.jedis.params.SetParams().ex(2).nx());
        assertThat(CommandSupport.params(SetOptions.none().keepTtl().xx()))
                .isEqualTo(new redis.clients.jedis.params.SetParams().keepTtl().xx());
    }
}
