package dev.vtdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidTextTest {
    @Test
    void findsUnpairedSurrogatesOnly() {
        assertThat(InvalidText.unpairedSurrogate("")).isEqualTo(-1);
        assertThat(InvalidText.unpairedSurrogate("plain ascii and 十六夜咲夜")).isEqualTo(-1);
        assertThat(InvalidText.unpairedSurrogate("pair \uD83C\uDF19 and \uD83D\uDE00"))
                .isEqualTo(-1);
        assertThat(InvalidText.unpairedSurrogate("abc\uD800def")).isEqualTo(3);
        assertThat(InvalidText.unpairedSurrogate("\uDC00")).isZero();
        assertThat(InvalidText.unpairedSurrogate("end\uD83D")).isEqualTo(3);
        assertThat(InvalidText.unpairedSurrogate("\uDF19\uD83C"))
                .as("reversed pair")
                .isZero();
        assertThat(InvalidText.unpairedSurrogate("\uD83C\uDF19\uDF19")).isEqualTo(2);
    }

    @Test
    void describesTheProblemOfStringsCharactersAndTheirCollections() {
        assertThat(InvalidText.problem("abc\uD800def")).isEqualTo("an unpaired surrogate U+D800 at index 3");
        assertThat(InvalidText.problem('\uDBFF')).isEqualTo("an unpaired surrogate U+DBFF (a Character)");
        assertThat(InvalidText.problem(List.of("ok", "x\uDC00")))
                .isEqualTo("element 1 holds an unpaired surrogate U+DC00 at index 1");
        assertThat(InvalidText.problem(new String[] {"\uD800"}))
                .isEqualTo("element 0 holds an unpaired surrogate U+D800 at index 0");
        assertThat(InvalidText.problem(Arrays.asList(null, "fine"))).isNull();
        assertThat(InvalidText.problem("fine \uD83C\uDF19")).isNull();
        assertThat(InvalidText.problem('x')).isNull();
        assertThat(InvalidText.problem(42)).isNull();
        assertThat(InvalidText.problem(null)).isNull();
        assertThat(InvalidText.problem(new byte[] {(byte) 0xC3, 0x28}))
                .as("bytes are the server's to check")
                .isNull();
    }
}
