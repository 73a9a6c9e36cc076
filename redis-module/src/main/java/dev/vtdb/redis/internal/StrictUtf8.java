package dev.vtdb.redis.internal;

import dev.vtdb.redis.RedisCommandException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes replies for the String API like redis-py with {@code decode_responses=True}: bytes that
 * are not UTF-8 fail the call (with {@link RedisCommandException}, pointing at the {@code byte[]}
 * variant) instead of reaching the caller with U+FFFD in their place, as Jedis's {@code
 * SafeEncoder} would.
 */
final class StrictUtf8 {
    private StrictUtf8() {}

    /** Raised while decoding; {@link RedisErrors} turns it into a {@link RedisCommandException}. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String detail, MalformedInputException cause) {
            super(detail, cause);
        }

        RedisCommandException toCommandException(String client, String command, String key) {
            String hint = switch (command) {
                case "GET" -> "read it with getBytes(key), the byte[] variant";
                case "HGET" -> "read it with hgetBytes(key, field), the byte[] variant";
                default ->
                    "the String API cannot return it: read binary values with getBytes or hgetBytes and"
                            + " store text as UTF-8";
            };
            return new RedisCommandException(
                    client + ": " + RedisErrors.describe(command, key) + " returned a value that is not valid UTF-8 ("
                            + getMessage() + "); " + hint,
                    command,
                    key,
                    null,
                    getCause());
        }
    }

    /**
     * Decodes a bulk reply.
     *
     * @param b the bytes, or {@code null}
     * @return the text, or {@code null}
     * @throws Malformed when the bytes are not UTF-8
     */
    static String decode(byte[] b) {
        if (b == null) {
            return null;
        }
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
            return s; // nothing was replaced (a Latin-1-only string answers at once)
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CoderResult r = decoder.decode(in, CharBuffer.allocate(s.length()), true);
        if (r.isError()) {
            int at = in.position();
            int length = Math.min(r.length(), b.length - at);
            throw new Malformed(
                    "bytes " + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b, at, at + length) + " at offset "
                            + at,
                    new MalformedInputException(r.length()));
        }
        return s; // the value really holds U+FFFD
    }

    static List<String> list(List<byte[]> values) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(decode(v));
        }
        return out;
    }

    static Set<String> set(Set<byte[]> values) {
        if (values == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (byte[] v : values) {
            out.add(decode(v));
        }
        return out;
    }

    static Map<String, String> map(Map<byte[], byte[]> values) {
        if (values == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<byte[], byte[]> e : values.entrySet()) {
            out.put(decode(e.getKey()), decode(e.getValue()));
        }
        return out;
    }

    /**
     * Decodes a raw reply of {@code execute} or a script: bulk and status replies become text,
     * arrays are decoded element by element, integers and errors stay as they are.
     *
     * @param reply the raw reply
     * @return the decoded reply
     */
    static Object reply(Object reply) {
        if (reply instanceof byte[] b) {
            return decode(b);
        }
        if (reply instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(reply(o));
            }
            return out;
        }
        return reply;
    }
}
