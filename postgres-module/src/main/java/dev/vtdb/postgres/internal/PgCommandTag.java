package dev.vtdb.postgres.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command tag PostgreSQL sends for a statement ({@code INSERT 0 1}, {@code SELECT 2}, {@code
 * CREATE TABLE}), which asyncpg's {@code execute} returns. pgjdbc reads the tag but keeps only its
 * row count, so the tag is worked out from the statement the way the server names it: the main
 * statement after a {@code WITH}'s common table expressions, {@code SELECT n} for {@code VALUES},
 * {@code TABLE} and {@code CREATE TABLE / MATERIALIZED VIEW ... AS}, the object kind without its
 * modifiers ({@code CREATE OR REPLACE FUNCTION} is {@code CREATE FUNCTION}) and the server's own
 * spellings ({@code TRUNCATE TABLE}, {@code LOCK TABLE}, {@code START TRANSACTION}...).
 */
final class PgCommandTag {
    /** The statements a {@code WITH} can lead to. */
    private static final Set<String> MAIN = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE");

    /** Words between {@code CREATE} and the object kind that the tag leaves out. */
    private static final Set<String> CREATE_MODIFIERS = Set.of(
            "OR",
            "REPLACE",
            "TEMP",
            "TEMPORARY",
            "UNLOGGED",
            "GLOBAL",
            "LOCAL",
            "UNIQUE",
            "RECURSIVE",
            "CONSTRAINT",
            "DEFAULT",
            "TRUSTED",
            "PROCEDURAL");

    /** Object kinds spelled with more than one word (the tag keeps them all). */
    private static final Set<String> TWO_WORD_KINDS = Set.of(
            "MATERIALIZED VIEW",
            "FOREIGN TABLE",
            "EVENT TRIGGER",
            "OPERATOR CLASS",
            "OPERATOR FAMILY",
            "ACCESS METHOD",
            "USER MAPPING",
            "DEFAULT PRIVILEGES",
            "LARGE OBJECT");

    private PgCommandTag() {}

    /**
     * Returns the command tag the server sends for a statement.
     *
     * @param sql the statement as the caller wrote it
     * @param rows the rows it affected or returned
     * @return the tag, e.g. {@code INSERT 0 3}
     */
    static String of(String sql, long rows) {
        List<String> w = topLevelWords(sql);
        if (w.isEmpty()) {
            return "";
        }
        int i = 0;
        if (w.get(0).equals("WITH")) {
            i = 1;
            while (i < w.size() && !MAIN.contains(w.get(i))) {
                i++;
            }
            if (i == w.size()) {
                return "WITH";
            }
        }
        String verb = w.get(i);
        String next = i + 1 < w.size() ? w.get(i + 1) : "";
        return switch (verb) {
            case "INSERT" -> "INSERT 0 " + rows;
            case "UPDATE", "DELETE", "MERGE", "SELECT", "MOVE", "FETCH", "COPY" -> verb + " " + rows;
            case "VALUES", "TABLE" -> "SELECT " + rows;
            case "CREATE" -> create(w, i + 1, rows);
            case "DROP", "ALTER" -> {
                String kind = kind(w, i + 1);
                yield kind.isEmpty() ? verb : verb + " " + kind;
            }
            case "TRUNCATE" -> "TRUNCATE TABLE";
            case "REFRESH" -> "REFRESH MATERIALIZED VIEW";
            case "LOCK" -> "LOCK TABLE";
            case "DECLARE" -> "DECLARE CURSOR";
            case "CLOSE" -> next.equals("ALL") ? "CLOSE CURSOR ALL" : "CLOSE CURSOR";
            case "DEALLOCATE" -> w.contains("ALL") ? "DEALLOCATE ALL" : "DEALLOCATE";
            case "DISCARD" -> "DISCARD " + (next.equals("TEMPORARY") ? "TEMP" : next);
            case "START" -> "START TRANSACTION";
            case "END" -> "COMMIT";
            case "ABORT" -> "ROLLBACK";
            case "COMMIT", "ROLLBACK" -> next.equals("PREPARED") ? verb + " PREPARED" : verb;
            case "PREPARE" -> next.equals("TRANSACTION") ? "PREPARE TRANSACTION" : "PREPARE";
            case "IMPORT" -> "IMPORT FOREIGN SCHEMA";
            case "REASSIGN" -> "REASSIGN OWNED";
            case "SECURITY" -> "SECURITY LABEL";
            case "ANALYSE" -> "ANALYZE";
            default -> verb;
        };
    }

    /** {@code CREATE}'s tag: its kind, or {@code SELECT n} for a table or view filled by a query. */
    private static String create(List<String> w, int i, long rows) {
        while (i < w.size() && CREATE_MODIFIERS.contains(w.get(i))) {
            i++;
        }
        String kind = kind(w, i);
        if (kind.equals("TABLE") || kind.equals("MATERIALIZED VIEW")) {
            boolean filledByQuery = w.subList(i, w.size()).contains("AS");
            if (filledByQuery) {
                int n = w.size();
                boolean noData = n >= 3
                        && w.get(n - 3).equals("WITH")
                        && w.get(n - 2).equals("NO")
                        && w.get(n - 1).equals("DATA");
                if (!noData) {
                    return "SELECT " + rows;
                }
                return kind.equals("TABLE") ? "CREATE TABLE AS" : "CREATE MATERIALIZED VIEW";
            }
        }
        return kind.isEmpty() ? "CREATE" : "CREATE " + kind;
    }

    /** The object kind starting at {@code i}, as the server's tag spells it. */
    private static String kind(List<String> w, int i) {
        if (i >= w.size()) {
            return "";
        }
        String first = w.get(i);
        String second = i + 1 < w.size() ? w.get(i + 1) : "";
        if (first.equals("TEXT") && second.equals("SEARCH") && i + 2 < w.size()) {
            return "TEXT SEARCH " + w.get(i + 2);
        }
        if (first.equals("FOREIGN") && second.equals("DATA")) {
            return "FOREIGN DATA WRAPPER";
        }
        if (TWO_WORD_KINDS.contains(first + " " + second)) {
            return first + " " + second;
        }
        if (first.equals("USER") || first.equals("GROUP")) {
            return "ROLE";
        }
        return first;
    }

    /**
     * The upper-cased words of the first statement outside parentheses, quotes and comments (leading
     * parentheses opened, as in {@code (SELECT 1)}).
     */
    static List<String> topLevelWords(String sql) {
        List<String> words = new ArrayList<>();
        int n = sql.length();
        int depth = 0;
        int floor = 0; // parentheses the statement starts inside
        boolean started = false;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                i = endOfBlockComment(sql, i);
            } else if (c == '(') {
                if (!started) {
                    floor++;
                }
                depth++;
                i++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                i++;
            } else if (c == ';' && depth <= floor) {
                break;
            } else if (c == '\'') {
                boolean escapes = i > 0
                        && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)));
                i = endOfQuoted(sql, i, '\'', escapes);
                started = true;
            } else if (c == '"') {
                i = endOfQuoted(sql, i, '"', false);
                started = true;
            } else if (c == '$') {
                i = endOfDollar(sql, i);
                started = true;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n
                        && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                boolean stringPrefix = j < n && sql.charAt(j) == '\'' && j - i <= 2; // E'..', U&'..'
                if (depth <= floor && !stringPrefix) {
                    words.add(sql.substring(i, j).toUpperCase(Locale.ROOT));
                }
                started = true;
                i = j;
            } else {
                started = true;
                i++;
            }
        }
        return words;
    }

    private static int endOfBlockComment(String sql, int i) {
        int nesting = 0;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                nesting++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                i += 2;
                if (--nesting == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    private static int endOfQuoted(String sql, int i, char quote, boolean backslashEscapes) {
        i++;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** Past a dollar-quoted string ({@code $$...$$}, {@code $tag$...$tag$}), or a {@code $n} placeholder. */
    private static int endOfDollar(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        boolean tagged =
                j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)));
        if (!tagged) {
            return j; // $1
        }
        String tag = sql.substring(i, j + 1);
        int end = sql.indexOf(tag, j + 1);
        return end < 0 ? sql.length() : end + tag.length();
    }
}
