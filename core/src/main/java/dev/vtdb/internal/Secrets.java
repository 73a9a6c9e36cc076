package dev.vtdb.internal;

import java.util.regex.Pattern;

/** Masks passwords in DSNs, JDBC URLs and driver messages. */
public final class Secrets {
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)([^@\\s]*)(@)");
    private static final Pattern PARAM_PASSWORD =
            Pattern.compile("(?i)((?:password|passwd|pwd|requirepass)\\s*[=:]\\s*)([^&;\\s,)]+)");

    private Secrets() {}

    /**
     * Masks the password of a URL ({@code postgres://u:secret@h}) and {@code password=...}
     * parameters.
     *
     * @param text a DSN, URL or message
     * @return the text with passwords replaced by {@code ***}
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String s = URL_PASSWORD.matcher(text).replaceAll("$1***$3");
        return PARAM_PASSWORD.matcher(s).replaceAll("$1***");
    }
}
