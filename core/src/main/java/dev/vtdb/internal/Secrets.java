package dev.vtdb.internal;

import java.util.regex.Pattern;

/** Masks passwords in DSNs, JDBC URLs and driver messages. */
public final class Secrets {
    private static final Pattern PARAM_PASSWORD =
            Pattern.compile("(?i)((?:password|passwd|pwd|requirepass)\\s*[=:]\\s*)([^&;\\s,)]+)");
    private static final String MASK = "***";

    private Secrets() {}

    /**
     * Masks the user-info of every URL ({@code postgres://u:secret@h} becomes {@code
     * postgres://u:***@h}) and {@code password=...} parameters.
     *
     * <p>A URL's user-info is everything from {@code ://} to the <em>last</em> {@code @} before the
     * end of its line (or the next URL), so a malformed password (with a space, an unencoded {@code
     * @} or {@code /}) is masked whole. Only a plain user name before the first {@code :} is kept;
     * a user-info without {@code :} is kept as a user name, except for {@code redis://} and {@code
     * rediss://}, where {@code redis://secret@h} is the password-only form. A later {@code @} on the
     * same line (an e-mail address in a driver message) may mask more than the user-info: never
     * less.
     *
     * @param text a DSN, URL or message
     * @return the text with passwords replaced by {@code ***}
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        return PARAM_PASSWORD.matcher(maskUserInfo(text)).replaceAll("$1" + MASK);
    }

    private static String maskUserInfo(String text) {
        int sep = text.indexOf("://");
        if (sep < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (sep >= 0) {
            int start = sep + 3;
            int next = text.indexOf("://", start);
            int end = lineEnd(text, start, next < 0 ? text.length() : next);
            int at = userInfoEnd(text, start, end);
            if (at >= start) {
                String info = text.substring(start, at);
                int colon = info.indexOf(':');
                out.append(text, copied, start);
                if (colon > 0 && isPlainUser(info.substring(0, colon))) {
                    out.append(info, 0, colon + 1).append(MASK);
                } else if (colon < 0 && isPlainUser(info) && !isRedis(text, sep)) {
                    out.append(info); // postgres://user@host: no password
                } else {
                    out.append(MASK);
                }
                copied = at;
            }
            sep = next;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Finds the {@code @} that ends a URL's user-info: the last one before the first whitespace; when
     * there is none, a later one on the line, unless the text up to it reads as a message rather than
     * a malformed password with a space ({@code ": "} or a quote in it, as in {@code
     * mysql://h:3306/db: Access denied for user 'root'@'h'}, whose reason must stay readable).
     *
     * @return the index of the {@code @}, or -1
     */
    private static int userInfoEnd(String text, int start, int end) {
        int ws = start;
        while (ws < end && !Character.isWhitespace(text.charAt(ws))) {
            ws++;
        }
        int at = ws > start ? text.lastIndexOf('@', ws - 1) : -1;
        if (at >= start) {
            return at;
        }
        int far = text.lastIndexOf('@', end - 1);
        if (far < start) {
            return -1;
        }
        String info = text.substring(start, far);
        boolean prose = info.contains(": ") || info.indexOf('\'') >= 0 || info.indexOf('"') >= 0;
        return prose ? -1 : far;
    }

    private static int lineEnd(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return to;
    }

    private static boolean isPlainUser(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '@' || c == '/' || c == ':') {
                return false;
            }
        }
        return true;
    }

    private static boolean isRedis(String text, int sep) {
        return text.regionMatches(true, Math.max(0, sep - 5), "redis", 0, 5)
                || text.regionMatches(true, Math.max(0, sep - 6), "rediss", 0, 6);
    }
}
