package dev.vtdb.internal;

import dev.vtdb.VtdbException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Finds the placeholders of a statement ({@code ?}, PostgreSQL's {@code $1..$n}, named {@code
 * :name}) outside string literals, quoted identifiers, comments and dollar-quoted bodies, and
 * rewrites the statement to JDBC's {@code ?}. Results are cached per SQL text.
 *
 * <p>PostgreSQL's {@code ?}, {@code ?|} and {@code ?&} operators: {@code ??} is always the
 * operator (pgjdbc's escape, passed through); a bare {@code ?} is the operator in a statement using
 * {@code $n} placeholders (written out as {@code ??}) and a placeholder otherwise.
 */
public final class SqlParser {

    /** Lexical rules of a database. */
    public enum Flavor {
        /** Standard SQL: '' strings, "" identifiers, -- and block comments. */
        STANDARD,
        /** PostgreSQL: adds $n, dollar quotes, E'' escapes, nested block comments, :: casts. */
        POSTGRES,
        /** MySQL: adds backtick identifiers, # comments, backslash escapes in strings. */
        MYSQL
    }

    /** How a statement names its parameters. */
    public enum Style {
        /** No parameters. */
        NONE,
        /** JDBC {@code ?}. */
        POSITIONAL,
        /** PostgreSQL {@code $n}. */
        NUMBERED,
        /** {@code :name}. */
        NAMED
    }

    /**
     * A parsed statement.
     *
     * @param sql the statement with JDBC {@code ?} placeholders
     * @param style how the original named its parameters
     * @param argIndex for each JDBC placeholder, the 0-based argument (or name index) it takes
     * @param arity how many distinct arguments the statement expects
     * @param names for {@link Style#NAMED}, the distinct names in first-seen order
     * @param plainSelect whether the statement is one {@code SELECT} without comments, locking
     *     clauses or {@code INTO} (for MySQL, without a {@code ;} anywhere, even in a literal: a
     *     server in {@code NO_BACKSLASH_ESCAPES} mode ends some literals elsewhere): a read that
     *     may share a round trip with others (see {@link Pipelined})
     */
    public record Parsed(String sql, Style style, int[] argIndex, int arity, List<String> names, boolean plainSelect) {

        /**
         * Orders positional arguments for the JDBC placeholders.
         *
         * @param args the caller's arguments
         * @return one value per JDBC placeholder
         * @throws VtdbException when the count does not match
         */
        public Object[] bindPositional(Object[] args) {
            if (style == Style.NAMED) {
                throw new VtdbException(
                        "statement uses named parameters " + names + "; pass a Map instead of positional arguments");
            }
            if (args.length != arity) {
                throw new VtdbException("statement expects " + arity + " argument" + (arity == 1 ? "" : "s")
                        + (style == Style.NUMBERED ? " ($1..$" + arity + ")" : "") + " but " + args.length
                        + (args.length == 1 ? " was" : " were") + " given");
            }
            if (style != Style.NUMBERED) {
                return args;
            }
            Object[] out = new Object[argIndex.length];
            for (int i = 0; i < argIndex.length; i++) {
                out[i] = args[argIndex[i]];
            }
            return out;
        }

        /**
         * Orders named arguments for the JDBC placeholders.
         *
         * @param params values by name
         * @return one value per JDBC placeholder
         * @throws VtdbException naming a missing parameter
         */
        public Object[] bindNamed(Map<String, ?> params) {
            if (style == Style.POSITIONAL || style == Style.NUMBERED) {
                throw new VtdbException("statement uses positional parameters; pass arguments, not a Map");
            }
            for (String n : names) {
                if (!params.containsKey(n)) {
                    throw new VtdbException("no value for parameter :" + n + "; given " + params.keySet());
                }
            }
            for (String k : params.keySet()) {
                if (!names.contains(k)) {
                    throw new VtdbException("parameter :" + k + " is not in the statement; it uses " + names);
                }
            }
            Object[] out = new Object[argIndex.length];
            for (int i = 0; i < argIndex.length; i++) {
                out[i] = params.get(names.get(argIndex[i]));
            }
            return out;
        }
    }

    private static final int CACHE_LIMIT = 4096;
    private final Flavor flavor;
    private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

    /**
     * Creates a parser for a flavour.
     *
     * @param flavor the lexical rules
     */
    public SqlParser(Flavor flavor) {
        this.flavor = flavor;
    }

    /**
     * Parses (or fetches from the cache) a statement.
     *
     * @param sql the statement
     * @return the parsed form
     */
    public Parsed parse(String sql) {
        Parsed p = cache.get(sql);
        if (p == null) {
            p = parse(sql, flavor);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(sql, p);
        }
        return p;
    }

    /**
     * Parses a statement without caching.
     *
     * @param sql the statement
     * @param flavor the lexical rules
     * @return the parsed form
     * @throws VtdbException when placeholder styles are mixed or {@code $0} is used
     */
    public static Parsed parse(String sql, Flavor flavor) {
        if (sql == null || sql.isBlank()) {
            throw new VtdbException("SQL must not be empty");
        }
        StringBuilder out = null;
        int copied = 0;
        Style style = Style.NONE;
        List<Integer> order = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int positional = 0;
        int maxNumber = 0;
        // PostgreSQL: where a bare ? sits in the output; whether it is a placeholder or the jsonb
        // operator is known at the end (an operator in a $n statement)
        List<Integer> bareMarks = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        boolean commentOrSemicolon = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                commentOrSemicolon = true;
                i++;
            } else if (c == '\'') {
                boolean backslash = flavor == Flavor.MYSQL
                        || (flavor == Flavor.POSTGRES
                                && i > 0
                                && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e'));
                i = skipQuoted(sql, i, '\'', backslash);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', flavor == Flavor.MYSQL);
            } else if (c == '`' && flavor == Flavor.MYSQL) {
                i = skipQuoted(sql, i, '`', false);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                commentOrSemicolon = true;
                i = skipLine(sql, i);
            } else if (c == '#' && flavor == Flavor.MYSQL) {
                commentOrSemicolon = true;
                i = skipLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                commentOrSemicolon = true;
                i = skipBlockComment(sql, i, flavor == Flavor.POSTGRES);
            } else if (c == '$' && flavor == Flavor.POSTGRES) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1 && !(i > 0 && isIdentChar(sql.charAt(i - 1)))) {
                    int number = Integer.parseInt(sql.substring(i + 1, j));
                    if (number == 0) {
                        throw new VtdbException("placeholder $0 is not valid; numbering starts at $1");
                    }
                    style = checkStyle(style, Style.NUMBERED, sql);
                    if (out == null) {
                        out = new StringBuilder(n);
                    }
                    out.append(sql, copied, i).append('?');
                    copied = j;
                    order.add(number - 1);
                    maxNumber = Math.max(maxNumber, number);
                    i = j;
                } else {
                    i = skipDollarQuote(sql, i);
                }
            } else if (c == '?') {
                if (flavor == Flavor.POSTGRES && i + 1 < n && sql.charAt(i + 1) == '?') {
                    i += 2; // pgjdbc's escaped question mark operator
                    continue;
                }
                if (flavor == Flavor.POSTGRES) {
                    if (out == null) {
                        out = new StringBuilder(n);
                    }
                    out.append(sql, copied, i);
                    bareMarks.add(out.length());
                    out.append('?');
                    copied = i + 1;
                    i++;
                    continue;
                }
                style = checkStyle(style, Style.POSITIONAL, sql);
                order.add(positional++);
                i++;
            } else if (c == ':') {
                if (i + 1 < n && sql.charAt(i + 1) == ':') {
                    i += 2; // PostgreSQL cast
                } else if (i + 1 < n
                        && Character.isJavaIdentifierStart(sql.charAt(i + 1))
                        && !(i > 0 && isIdentChar(sql.charAt(i - 1)))) {
                    int j = i + 1;
                    while (j < n && isIdentChar(sql.charAt(j))) {
                        j++;
                    }
                    String name = sql.substring(i + 1, j);
                    style = checkStyle(style, Style.NAMED, sql);
                    int idx = names.indexOf(name);
                    if (idx < 0) {
                        names.add(name);
                        idx = names.size() - 1;
                    }
                    if (out == null) {
                        out = new StringBuilder(n);
                    }
                    out.append(sql, copied, i).append('?');
                    copied = j;
                    order.add(idx);
                    i = j;
                } else {
                    i++;
                }
            } else {
                i++;
            }
        }
        if (!bareMarks.isEmpty()) {
            if (style == Style.NUMBERED) {
                // the ?, ?| and ?& operators of a $n statement, escaped as pgjdbc reads them
                for (int k = bareMarks.size() - 1; k >= 0; k--) {
                    out.insert(bareMarks.get(k).intValue(), '?');
                }
            } else {
                if (style == Style.NAMED) {
                    throw new VtdbException("statement mixes named and positional placeholders; use one style"
                            + " (a ? meant as the jsonb operator is written ??)");
                }
                style = Style.POSITIONAL;
                for (int k = 0; k < bareMarks.size(); k++) {
                    order.add(positional++);
                }
            }
        }
        String jdbc = out == null ? sql : out.append(sql, copied, n).toString();
        int[] argIndex = order.stream().mapToInt(Integer::intValue).toArray();
        int arity = switch (style) {
            case NONE -> 0;
            case POSITIONAL -> positional;
            case NUMBERED -> maxNumber;
            case NAMED -> names.size();
        };
        if (style == Style.NUMBERED) {
            boolean[] seen = new boolean[maxNumber];
            for (int a : argIndex) {
                seen[a] = true;
            }
            for (int k = 0; k < maxNumber; k++) {
                if (!seen[k]) {
                    throw new VtdbException(
                            "placeholder $" + (k + 1) + " is missing; the statement uses up to $" + maxNumber);
                }
            }
        }
        boolean plainSelect = !commentOrSemicolon
                && (flavor != Flavor.MYSQL || sql.indexOf(';') < 0)
                && SELECT.matcher(jdbc).lookingAt()
                && !WRITES.matcher(jdbc).find();
        return new Parsed(jdbc, style, argIndex, arity, List.copyOf(names), plainSelect);
    }

    private static final Pattern SELECT = Pattern.compile("\\s*select\\b", Pattern.CASE_INSENSITIVE);
    /** Clauses that make a SELECT take locks or write (also matched inside literals: that only makes it not plain). */
    private static final Pattern WRITES = Pattern.compile(
            "\\b(into|for\\s+(update|share|no\\s+key\\s+update|key\\s+share))\\b", Pattern.CASE_INSENSITIVE);

    /**
     * Replaces the content of string literals with {@code ***}, for error messages.
     *
     * @param sql the statement
     * @param flavor the lexical rules
     * @return the statement with literals redacted
     */
    public static String redact(String sql, Flavor flavor) {
        if (sql == null || sql.indexOf('\'') < 0) {
            return sql;
        }
        StringBuilder sb = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int end = skipQuoted(sql, i, '\'', flavor == Flavor.MYSQL);
                sb.append("'***'");
                i = end;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    private static Style checkStyle(Style current, Style found, String sql) {
        if (current != Style.NONE && current != found) {
            throw new VtdbException("statement mixes " + current.name().toLowerCase() + " and "
                    + found.name().toLowerCase() + " placeholders; use one style");
        }
        return found;
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int skipQuoted(String sql, int i, char quote, boolean backslashEscapes) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    private static int skipLine(String sql, int i) {
        int nl = sql.indexOf('\n', i);
        return nl < 0 ? sql.length() : nl + 1;
    }

    private static int skipBlockComment(String sql, int i, boolean nested) {
        int depth = 1;
        int j = i + 2;
        int n = sql.length();
        while (j < n && depth > 0) {
            if (nested && sql.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (sql.startsWith("*/", j)) {
                depth--;
                j += 2;
            } else {
                j++;
            }
        }
        return j;
    }

    private static int skipDollarQuote(String sql, int i) {
        int n = sql.length();
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < n && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            String tag = sql.substring(i, j + 1);
            int end = sql.indexOf(tag, j + 1);
            return end < 0 ? n : end + tag.length();
        }
        return i + 1;
    }
}
