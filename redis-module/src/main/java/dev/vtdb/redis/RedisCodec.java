package dev.vtdb.redis;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values into Redis strings and back, for {@link RedisClient#cached}.
 *
 * @param <T> the value type
 */
public interface RedisCodec<T> {
    /**
     * Encodes a value.
     *
     * @param value a non-null value
     * @return its string form
     */
    String encode(T value);

    /**
     * Decodes a stored string.
     *
     * @param stored what {@link #encode} produced
     * @return the value
     */
    T decode(String stored);

    /**
     * Returns the identity codec for strings.
     *
     * @return a codec storing strings as they are
     */
    static RedisCodec<String> string() {
        return of(Function.identity(), Function.identity());
    }

    /**
     * Builds a codec from two functions (for example a JSON mapper's write and read).
     *
     * @param encoder value to string
     * @param decoder string to value
     * @param <T> the value type
     * @return the codec
     */
    static <T> RedisCodec<T> of(Function<? super T, String> encoder, Function<String, ? extends T> decoder) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        return new RedisCodec<>() {
            @Override
            public String encode(T value) {
                return encoder.apply(value);
            }

            @Override
            public T decode(String stored) {
                return decoder.apply(stored);
            }
        };
    }
}
