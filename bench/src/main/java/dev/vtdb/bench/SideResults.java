package dev.vtdb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends measurements JMH cannot express (latency percentiles, peak heap, heap per call) as one
 * JSON object per line to {@code <dir>/side.jsonl}, where {@code dir} is the system property
 * {@code vtdb.bench.out} (default {@code bench/results}). The report joins them with JMH's JSON.
 */
public final class SideResults {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private SideResults() {}

    /**
     * Returns the results directory.
     *
     * @return the directory named by {@code vtdb.bench.out}
     */
    public static Path dir() {
        return Path.of(System.getProperty("vtdb.bench.out", "bench/results"));
    }

    /**
     * Appends one record.
     *
     * @param fields field names and values, in order; values are numbers or strings
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void append(Map<String, ?> fields) {
        StringBuilder line = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (line.length() > 1) {
                line.append(',');
            }
            line.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Number n) {
                line.append(n);
            } else {
                line.append(quote(String.valueOf(v)));
            }
        }
        line.append("}\n");
        LOCK.lock();
        try {
            Path dir = dir();
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("side.jsonl"),
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Starts a record keyed like a JMH result: benchmark name plus its parameters.
     *
     * @param benchmark fully qualified benchmark method name
     * @param params parameter names and values
     * @return a mutable ordered map to add metrics to
     */
    public static Map<String, Object> record(String benchmark, Map<String, String> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchmark);
        params.forEach((k, v) -> m.put("param." + k, v));
        return m;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
