package dev.vtdb.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Decoding of the parts of database URLs (DSNs), shared by the SQL modules' parsers. */
public final class UriText {
    private UriText() {}

    /**
     * Percent-decodes one part of a URL; a literal {@code +} stays a plus (RFC 3986, as libpq).
     *
     * @param s the raw part
     * @param part which part, for the message ({@code user}, {@code host}...)
     * @param kind what the whole is called in messages ({@code DSN}, {@code URL})
     * @param masked the whole URL with its password masked, for the message
     * @return the decoded text
     * @throws IllegalArgumentException naming the part when the encoding is invalid
     */
    public static String decode(String s, String part, String kind, String masked) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid percent-encoding in the " + part + " of " + kind + " " + masked);
        }
    }
}
