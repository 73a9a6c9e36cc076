package dev.vtdb.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Reads a run's raw results (JMH's JSON files, {@code side.jsonl} with latencies, peak heap,
 * heap per call and the external and Python rows, {@code env.properties} describing the machine)
 * and writes {@code RESULTS.md} plus one PNG chart of throughput against callers per workload.
 *
 * <p>{@code java -cp vtdb-bench.jar dev.vtdb.bench.report.Report bench/results bench/RESULTS.md}
 */
public final class Report {
    /** Workloads in report order: key, title, unit of the throughput. */
    private static final String[][] WORKLOADS = {
        {"PgPointSelect.pointSelect", "PostgreSQL — point select by random id (TechEmpower single query)", "queries/s"},
        {"PgRequests.queries20", "PostgreSQL — 20 point selects per request", "requests/s"},
        {"PgRequests.fortunes", "PostgreSQL — fortunes (12 rows mapped to objects)", "requests/s"},
        {"PgRequests.updates20", "PostgreSQL — 20 updates per request (one batch)", "requests/s"},
        {"PgBulk.executeMany", "PostgreSQL — executeMany of 10,000 rows in one transaction", "rows/s"},
        {"PgCopy.copy", "PostgreSQL — COPY of 1,000,000 rows", "rows/s"},
        {"PgBulk.streamRead", "PostgreSQL — streaming read of 1,000,000 rows (fetch size 10,000)", "rows/s"},
        {"MySqlPointSelect.pointSelect", "MariaDB — point select by random id", "queries/s"},
        {"MySqlRequests.queries20", "MariaDB — 20 point selects per request", "requests/s"},
        {"MySqlRequests.fortunes", "MariaDB — fortunes (12 rows mapped to objects)", "requests/s"},
        {"MySqlRequests.updates20", "MariaDB — 20 updates per request (one batch)", "requests/s"},
        {"RedisCommands.get", "Redis — GET of a random key", "commands/s"},
        {"RedisCommands.set", "Redis — SET of a random key", "commands/s"},
        {"RedisPipeline.pipeline100", "Redis — explicit pipelines of 100 GETs", "commands/s"},
    };

    /** Peers in the order rows are listed; unknown peers follow in name order. */
    private static final List<String> PEER_ORDER = List.of(
            "vtdb",
            "jdbc-direct",
            "jdbc-platform",
            "jdbc-virtual",
            "vertx-pooled",
            "vertx-pipelined",
            "jdbi-executor",
            "jedis-platform",
            "jedis-virtual",
            "lettuce-async");

    private final Path dir;
    private final List<Result> results = new ArrayList<>();
    private final List<JsonObject> memory = new ArrayList<>();
    private final List<JsonObject> paired = new ArrayList<>();
    private final Properties env = new Properties();

    private Report(Path dir) {
        this.dir = dir;
    }

    /**
     * Renders the report.
     *
     * @param args results directory, then the markdown file to write
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/results");
        Path md = Path.of(args.length > 1 ? args[1] : "bench/RESULTS.md");
        Report r = new Report(dir);
        r.load();
        Files.writeString(md, r.render(md.getParent() == null ? Path.of(".") : md.getParent()), StandardCharsets.UTF_8);
        System.out.println("wrote " + md + " (" + r.results.size() + " rows)");
    }

    private void load() throws IOException {
        Path envFile = dir.resolve("env.properties");
        if (Files.exists(envFile)) {
            try (var in = Files.newBufferedReader(envFile, StandardCharsets.UTF_8)) {
                env.load(in);
            }
        }
        List<Path> jsons;
        try (Stream<Path> s = Files.list(dir)) {
            jsons = s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        for (Path p : jsons) {
            String text = Files.readString(p, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                continue;
            }
            for (Object o : new JsonArray(text)) {
                results.add(fromJmh((JsonObject) o));
            }
        }
        Path side = dir.resolve("side.jsonl");
        if (!Files.exists(side)) {
            return;
        }
        List<JsonObject> latency = new ArrayList<>();
        List<JsonObject> heap = new ArrayList<>();
        for (String line : Files.readAllLines(side, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject j = new JsonObject(line);
            switch (j.getString("kind", "")) {
                case "latency" -> latency.add(j);
                case "heap" -> heap.add(j);
                case "memory" -> memory.add(j);
                case "paired" -> paired.add(j);
                case "throughput" ->
                    results.add(new Result(
                            j.getString("workload"),
                            j.getString("peer"),
                            j.getInteger("callers", 1),
                            num(j, "score"),
                            Double.NaN,
                            num(j, "p50_us"),
                            num(j, "p99_us"),
                            Double.NaN,
                            j.getString("source", "external")));
                default -> {}
            }
        }
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            if (!"jmh".equals(r.source())) {
                continue;
            }
            for (JsonObject l : latency) {
                if (matches(l, r)) {
                    r = r.withLatency(num(l, "p50_us"), num(l, "p99_us"));
                }
            }
            for (JsonObject h : heap) {
                if (matches(h, r)) {
                    r = r.withHeap(num(h, "peak_heap_mib"));
                }
            }
            results.set(i, r);
        }
    }

    private static boolean matches(JsonObject side, Result r) {
        String bench = side.getString("benchmark", "");
        return bench.endsWith("." + r.workload())
                && r.peer().equals(side.getString("param.peer"))
                && String.valueOf(r.callers()).equals(side.getString("param.callers", "1"));
    }

    private static double num(JsonObject j, String key) {
        Object v = j.getValue(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static Result fromJmh(JsonObject j) {
        String bench = j.getString("benchmark");
        String[] parts = bench.split("\\.");
        String workload = parts[parts.length - 2] + "." + parts[parts.length - 1];
        JsonObject params = j.getJsonObject("params", new JsonObject());
        JsonObject metric = j.getJsonObject("primaryMetric");
        JsonObject secondary = j.getJsonObject("secondaryMetrics", new JsonObject());
        if (secondary.containsKey("ops")) {
            metric = secondary.getJsonObject("ops");
        }
        return new Result(
                workload,
                params.getString("peer", "?"),
                Integer.parseInt(params.getString("callers", "1")),
                num(metric, "score"),
                num(metric, "scoreError"),
                Double.NaN,
                Double.NaN,
                Double.NaN,
                "jmh");
    }

    private static int peerRank(String peer) {
        int i = PEER_ORDER.indexOf(peer);
        return i >= 0 ? i : PEER_ORDER.size();
    }

    private static final Comparator<Result> ORDER = Comparator.comparingInt(Result::callers)
            .thenComparing(r -> !"jmh".equals(r.source()))
            .thenComparingInt(r -> peerRank(r.peer()))
            .thenComparing(Result::peer);

    private String render(Path mdDir) throws IOException {
        StringBuilder md = new StringBuilder();
        boolean quick = "quick".equals(env.getProperty("mode"));
        md.append("# vtdb benchmarks\n\n");
        if (quick) {
            md.append("> **SMOKE RUN — not final numbers.** Produced by `bench/run --quick`: every benchmark ran for"
                    + " about a second, once, to prove the harness works end to end. The error bars are wide or"
                    + " missing, the machine was shared with other builds (see the load average below), and"
                    + " the vtdb rows are not in yet. One second of warmup also leaves the JVM peers mostly"
                    + " interpreted, so they look far slower than the C tools (pgbench, sysbench, redis-benchmark)."
                    + " Run `bench/run` for real numbers.\n\n");
        }
        md.append("Generated by `bench/run` from the raw results in `bench/results/` (JMH JSON, `side.jsonl`)"
                + " by `dev.vtdb.bench.report.Report`. Do not edit by hand.\n\n");
        md.append("## Machine and versions\n\n| | |\n|---|---|\n");
        for (String key : new TreeSet<>(env.stringPropertyNames())) {
            md.append("| ")
                    .append(key)
                    .append(" | ")
                    .append(env.getProperty(key).replace("|", "/"))
                    .append(" |\n");
        }
        md.append("\n## How to read this\n\n");
        md.append("- **Load model** (same for every peer, Java and Python): `callers` independent callers, each with"
                + " exactly one request in flight, each issuing its next request when the previous one completes"
                + " (closed loop, `dev.vtdb.bench.ClosedLoop`, `bench/python/common.py`). Throughput counts individual"
                + " operations (queries, requests, commands or rows, as the unit says).\n");
        md.append(
                "- Every peer uses a pool of 16 connections. `jdbc-platform`/`jedis-platform` run calls on a fixed pool"
                        + " of 200 platform threads (Tomcat's default) over that pool; `*-virtual` start one virtual thread per"
                        + " call; `jdbc-direct` runs each call on the caller's own thread before returning (the one-caller"
                        + " reference: the driver and the pool alone, measured at 1 caller only); `jdbi-executor` uses an"
                        + " executor of 16 threads; `vertx-pooled` runs one query per"
                        + " connection at a time, `vertx-pipelined` up to 256; `lettuce-async` shares one connection.\n");
        md.append("- `±` is half of JMH's 99.9% confidence interval over the measurement iterations (blank with"
                + " fewer than two). Latencies (p50, p99) are per request, issue to completion, over the measurement"
                + " iterations (HdrHistogram). Ceilings (pgbench, sysbench, redis-benchmark) and the Python rows"
                + " (asyncio) ran once, right after, against the same servers.\n");
        md.append("- Ratio column: once vtdb rows exist, vtdb's throughput divided by each row's at the same number of"
                + " callers (the targets of issue 9 are written that way); until then each row divided by"
                + " `jdbc-platform`/`jedis-platform`.\n\n");

        md.append("## Summary: throughput against callers\n\n");
        for (String[] w : WORKLOADS) {
            List<Result> rows = rows(w[0]);
            TreeSet<Integer> callers = new TreeSet<>();
            rows.forEach(r -> callers.add(r.callers()));
            if (rows.isEmpty() || callers.size() < 2) {
                continue;
            }
            md.append("**").append(w[1]).append("** (").append(w[2]).append(")\n\n| peer |");
            callers.forEach(c -> md.append(" ").append(c).append(" |"));
            md.append("\n|---|");
            callers.forEach(c -> md.append("---:|"));
            md.append('\n');
            Map<String, Map<Integer, Result>> byPeer = new LinkedHashMap<>();
            rows.stream()
                    .sorted(Comparator.comparing((Result r) -> !"jmh".equals(r.source()))
                            .thenComparingInt(r -> peerRank(r.peer()))
                            .thenComparing(Result::peer))
                    .forEach(r -> byPeer.computeIfAbsent(r.peer(), k -> new LinkedHashMap<>())
                            .put(r.callers(), r));
            for (var e : byPeer.entrySet()) {
                md.append("| ").append(e.getKey()).append(" |");
                for (int c : callers) {
                    Result r = e.getValue().get(c);
                    md.append(' ').append(r == null ? "" : compact(r.score())).append(" |");
                }
                md.append('\n');
            }
            String chart = chart(w, rows, mdDir);
            md.append("\n![").append(w[1]).append("](").append(chart).append(")\n\n");
        }

        md.append("## All rows\n\n");
        for (String[] w : WORKLOADS) {
            List<Result> rows = rows(w[0]);
            if (rows.isEmpty()) {
                continue;
            }
            boolean heap = rows.stream().anyMatch(r -> !Double.isNaN(r.peakHeapMib()));
            boolean vtdbRef = rows.stream().anyMatch(r -> r.peer().equals("vtdb"));
            String ref = vtdbRef ? "vtdb" : (w[0].startsWith("Redis") ? "jedis-platform" : "jdbc-platform");
            md.append("### ")
                    .append(w[1])
                    .append("\n\n| peer | callers | ")
                    .append(w[2])
                    .append(" | ± | p50 | p99 |")
                    .append(heap ? " peak heap |" : "")
                    .append(vtdbRef ? " vtdb / this |" : " this / " + ref + " |")
                    .append("\n|---|---:|---:|---:|---:|---:|")
                    .append(heap ? "---:|" : "")
                    .append("---:|\n");
            rows.sort(ORDER);
            for (Result r : rows) {
                Result base = rows.stream()
                        .filter(b -> b.peer().equals(ref) && b.callers() == r.callers())
                        .findFirst()
                        .orElse(null);
                md.append("| ")
                        .append(r.peer())
                        .append(" | ")
                        .append(r.callers())
                        .append(" | ")
                        .append(full(r.score()))
                        .append(" | ")
                        .append(Double.isNaN(r.error()) ? "" : full(r.error()))
                        .append(" | ")
                        .append(micros(r.p50us()))
                        .append(" | ")
                        .append(micros(r.p99us()))
                        .append(" |");
                if (heap) {
                    md.append(' ')
                            .append(
                                    Double.isNaN(r.peakHeapMib())
                                            ? ""
                                            : String.format(Locale.ROOT, "%.0f MiB", r.peakHeapMib()))
                            .append(" |");
                }
                md.append(' ')
                        .append(
                                base == null || base.score() == 0
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                "%.2fx",
                                                vtdbRef ? base.score() / r.score() : r.score() / base.score()))
                        .append(" |\n");
            }
            md.append('\n');
        }

        if (!memory.isEmpty()) {
            md.append("## Memory: heap per in-flight call\n\n")
                    .append(
                            "The pool's 16 connections are held by `pg_sleep`, then 100,000 point selects are issued and"
                                    + " left waiting; live heap after full GCs, before and after, divided by the calls still"
                                    + " pending (`dev.vtdb.bench.InFlightHeap`, one JVM per peer). The platform-thread"
                                    + " peers queue calls in a preallocated bounded array, so a waiting call costs them only"
                                    + " its task and future objects; a waiting virtual thread or Vert.x request carries"
                                    + " its stack or context.\n\n")
                    .append("| peer | calls | pending at measurement | refused at once (admission bound) | heap per"
                            + " call | time to issue |\n")
                    .append("|---|---:|---:|---:|---:|---:|\n");
            for (JsonObject m : memory) {
                md.append("| ")
                        .append(m.getString("peer"))
                        .append(" | ")
                        .append(m.getValue("callers"))
                        .append(" | ")
                        .append(m.getValue("pending"))
                        .append(" | ")
                        .append(m.getValue("refused_at_once") == null ? "" : m.getValue("refused_at_once"))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f KB", num(m, "bytes_per_call") / 1000.0))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f ms", num(m, "issue_ms")))
                        .append(" |\n");
            }
            md.append('\n');
        }
        renderTargets(md);
        return md.toString();
    }

    /** One target of issue 9: vtdb's row divided by a reference row, against a bound. */
    private record Target(String what, String workload, int callers, String refPeer, int refCallers, double bound) {}

    private static final List<Target> TARGETS = List.of(
            new Target(
                    "PostgreSQL point select, 1 caller, vs pgjdbc on the caller's thread",
                    "PgPointSelect.pointSelect",
                    1,
                    "jdbc-direct",
                    1,
                    0.95),
            new Target(
                    "PostgreSQL point select, 16 callers, vs pgbench",
                    "PgPointSelect.pointSelect",
                    16,
                    "pgbench -M prepared",
                    16,
                    1.0),
            new Target(
                    "PostgreSQL point select, 16 callers, vs Vert.x pooled",
                    "PgPointSelect.pointSelect",
                    16,
                    "vertx-pooled",
                    16,
                    1.5),
            new Target(
                    "PostgreSQL point select, 256 callers, vs vtdb at 16 (no collapse)",
                    "PgPointSelect.pointSelect",
                    256,
                    "vtdb",
                    16,
                    0.9),
            new Target(
                    "PostgreSQL point select, 4,096 callers, vs vtdb at 16 (no collapse)",
                    "PgPointSelect.pointSelect",
                    4096,
                    "vtdb",
                    16,
                    0.9),
            new Target(
                    "PostgreSQL point select, 256 callers, vs platform threads",
                    "PgPointSelect.pointSelect",
                    256,
                    "jdbc-platform",
                    256,
                    2.0),
            new Target(
                    "PostgreSQL point select, 4,096 callers, vs platform threads",
                    "PgPointSelect.pointSelect",
                    4096,
                    "jdbc-platform",
                    4096,
                    2.0),
            new Target(
                    "PostgreSQL point select, 256 callers, vs Vert.x pooled",
                    "PgPointSelect.pointSelect",
                    256,
                    "vertx-pooled",
                    256,
                    1.5),
            new Target(
                    "PostgreSQL point select, 4,096 callers, vs Vert.x pooled",
                    "PgPointSelect.pointSelect",
                    4096,
                    "vertx-pooled",
                    4096,
                    1.5),
            new Target(
                    "PostgreSQL point select, 256 callers, vs Vert.x pipelined (stretch)",
                    "PgPointSelect.pointSelect",
                    256,
                    "vertx-pipelined",
                    256,
                    1.0),
            new Target(
                    "MariaDB point select, 256 callers, vs Vert.x MySQL client",
                    "MySqlPointSelect.pointSelect",
                    256,
                    "vertx-pooled",
                    256,
                    1.0),
            new Target("executeMany of 10,000 rows vs asyncpg", "PgBulk.executeMany", 1, "python-asyncpg", 1, 1.0),
            new Target(
                    "streaming read of 1,000,000 rows vs raw pgjdbc with the same fetch size",
                    "PgBulk.streamRead",
                    1,
                    "jdbc-platform",
                    1,
                    0.9),
            new Target("COPY of 1,000,000 rows vs asyncpg", "PgCopy.copy", 1, "python-asyncpg", 1, 1.0),
            new Target("Redis GET, 256 callers, vs Lettuce async", "RedisCommands.get", 256, "lettuce-async", 256, 5.0),
            new Target("Redis SET, 256 callers, vs Lettuce async", "RedisCommands.set", 256, "lettuce-async", 256, 5.0),
            new Target(
                    "Redis GET, 256 callers, vs redis-benchmark -P 16",
                    "RedisCommands.get",
                    256,
                    "redis-benchmark -P 16",
                    256,
                    0.8),
            new Target(
                    "Redis SET, 256 callers, vs redis-benchmark -P 16",
                    "RedisCommands.set",
                    256,
                    "redis-benchmark -P 16",
                    256,
                    0.8));

    private Result find(String workload, String peer, int callers) {
        for (Result r : results) {
            if (r.workload().equals(workload) && r.peer().equals(peer) && r.callers() == callers) {
                return r;
            }
        }
        return null;
    }

    private void renderTargets(StringBuilder md) {
        md.append("## Targets of issue 9\n\n")
                .append("Each target is vtdb's throughput divided by the reference row's, from the tables above (same"
                        + " run). `±` on the ratio combines the two rows' error bars (blank where either is unknown)."
                        + " A ratio whose error bar straddles the bound is not evidence either way. A *paired* row measures"
                        + " the same ratio again with vtdb and the reference interleaved in one JVM (`PairedRatio`: rounds"
                        + " of a short window each, in alternating order, the geometric mean of the rounds' ratios with a"
                        + " 99.9% confidence interval): the machine's drift from minute to minute, which the JMH rows"
                        + " (each peer in its own JVM, minutes apart) carry into their ratio, cancels out there. Where a target is"
                        + " missed, [PROFILES.md](PROFILES.md) shows where the time goes.\n\n")
                .append("| target | vtdb | reference | ratio | bound | met |\n|---|---:|---:|---:|---:|---|\n");
        for (Target t : TARGETS) {
            Result v = find(t.workload(), "vtdb", t.callers());
            Result ref = find(t.workload(), t.refPeer(), t.refCallers());
            md.append("| ").append(t.what()).append(" | ");
            if (v == null || ref == null || !(ref.score() > 0)) {
                md.append(v == null ? "—" : full(v.score()))
                        .append(" | ")
                        .append(ref == null ? "not measured" : full(ref.score()))
                        .append(" | | ≥ ")
                        .append(t.bound())
                        .append(" | not measured |\n");
                continue;
            }
            double ratio = v.score() / ref.score();
            double rel = Math.sqrt(Math.pow(relError(v), 2) + Math.pow(relError(ref), 2));
            md.append(full(v.score()))
                    .append(" | ")
                    .append(full(ref.score()))
                    .append(" (")
                    .append(t.refPeer())
                    .append(t.refCallers() != t.callers() ? " at " + t.refCallers() : "")
                    .append(") | ")
                    .append(String.format(Locale.ROOT, "%.2fx", ratio))
                    .append(Double.isNaN(rel) ? "" : String.format(Locale.ROOT, " ± %.2f", ratio * rel))
                    .append(" | ≥ ")
                    .append(t.bound())
                    .append(" | ")
                    .append(verdict(
                            ratio,
                            t.bound(),
                            !Double.isNaN(rel) && Math.abs(ratio - t.bound()) < ratio * rel,
                            "error bars"))
                    .append(" |\n");
            renderPaired(md, t);
        }
        for (JsonObject m : memory) {
            if ("vtdb".equals(m.getString("peer"))) {
                double kb = num(m, "bytes_per_call") / 1000.0;
                md.append("| heap per in-flight call | ")
                        .append(String.format(Locale.ROOT, "%.2f KB", kb))
                        .append(" | | | ≤ 3 KB | ")
                        .append(kb <= 3 ? "yes" : "no")
                        .append(" |\n");
            }
        }
        String pinned = env.getProperty("jfr.pinned.events");
        md.append("| pinned-carrier events in vtdb code during the run | ")
                .append(pinned == null ? "not recorded" : pinned.replace("|", "/"))
                .append(" | | | 0 | ")
                .append(pinned == null ? "not recorded" : pinned.startsWith("0 ") ? "yes" : "no")
                .append(" |\n\n");
    }

    /**
     * The same target measured by {@code PairedRatio}, vtdb and the reference interleaved in one JVM,
     * if the run did: a row under the JMH one, its ratio with a 99.9% confidence interval.
     */
    private void renderPaired(StringBuilder md, Target t) {
        for (JsonObject p : paired) {
            String peer = p.getString("peer");
            if (!p.getString("benchmark", "").endsWith("." + t.workload())
                    || !("vtdb".equals(peer) || "vtdb-cursor".equals(peer))
                    || !t.refPeer().equals(p.getString("ref_peer"))
                    || p.getInteger("callers", 1) != t.callers()) {
                continue;
            }
            double ratio = num(p, "ratio");
            double low = num(p, "ratio_low");
            double high = num(p, "ratio_high");
            md.append("| ")
                    .append(t.what())
                    // the same read inside a transaction, where the stream reads a cursor
                    .append(
                            "vtdb-cursor".equals(peer)
                                    ? ", by `vtdb-cursor` (the stream inside a transaction: a cursor)"
                                    : "")
                    .append(String.format(
                            Locale.ROOT,
                            ", paired: interleaved in one JVM, %d rounds of %.1f s each",
                            p.getInteger("rounds", 0),
                            num(p, "round_seconds")))
                    .append(" | ")
                    .append(full(num(p, "score")))
                    .append(" | ")
                    .append(full(num(p, "ref_score")))
                    .append(" (")
                    .append(t.refPeer())
                    .append(") | ")
                    .append(String.format(Locale.ROOT, "%.2fx (99.9%%: %.2f-%.2f)", ratio, low, high))
                    .append(" | ≥ ")
                    .append(t.bound())
                    .append(" | ")
                    // the cursor's row is shown beside the target's, not instead of it
                    .append("vtdb-cursor".equals(peer) ? "for comparison, not the target's row: " : "")
                    .append(verdict(ratio, t.bound(), low < t.bound() && t.bound() <= high, "interval"))
                    .append(" |\n");
        }
    }

    /**
     * Whether a ratio meets its bound: {@code yes}, or {@code no} with how far short, followed by
     * {@code , within the <uncertainty>} when the bound lies inside the ratio's uncertainty.
     */
    private static String verdict(double ratio, double bound, boolean boundWithinUncertainty, String uncertainty) {
        String met =
                ratio >= bound ? "yes" : String.format(Locale.ROOT, "no (%.0f%% short)", 100 * (1 - ratio / bound));
        return boundWithinUncertainty ? met + ", within the " + uncertainty : met;
    }

    private static double relError(Result r) {
        return r.error() > 0 && r.score() > 0 ? r.error() / r.score() : "jmh".equals(r.source()) ? Double.NaN : 0;
    }

    private List<Result> rows(String workload) {
        List<Result> rows = new ArrayList<>();
        for (Result r : results) {
            if (r.workload().equals(workload)) {
                rows.add(r);
            }
        }
        return rows;
    }

    private String chart(String[] w, List<Result> rows, Path mdDir) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        Map<String, XYSeries> series = new LinkedHashMap<>();
        rows.stream()
                .sorted(Comparator.comparingInt((Result r) -> peerRank(r.peer()))
                        .thenComparing(Result::peer))
                .forEach(r -> series.computeIfAbsent(r.peer(), XYSeries::new).add(r.callers(), r.score()));
        series.values().forEach(data::addSeries);
        LogAxis x = new LogAxis("concurrent callers (requests in flight)");
        x.setBase(2);
        x.setSmallestValue(0.5);
        x.setNumberFormatOverride(new DecimalFormat("0"));
        x.setAutoTickUnitSelection(false);
        x.setTickUnit(new NumberTickUnit(2));
        NumberAxis y = new NumberAxis(w[2]);
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String name = String.valueOf(data.getSeriesKey(i));
            if (name.equals("vtdb")) {
                renderer.setSeriesStroke(i, new BasicStroke(4f));
                renderer.setSeriesPaint(i, Color.BLACK);
            } else if (name.startsWith("python")) {
                renderer.setSeriesStroke(
                        i,
                        new BasicStroke(
                                2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 4f}, 0f));
                renderer.setSeriesPaint(i, new Color(0x8B, 0x5A, 0x00));
            } else if (rows.stream().anyMatch(r -> r.peer().equals(name) && !"jmh".equals(r.source()))) {
                renderer.setSeriesStroke(
                        i,
                        new BasicStroke(
                                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {8f, 5f}, 0f));
            } else {
                renderer.setSeriesStroke(i, new BasicStroke(2f));
            }
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String title = w[1] + ("quick".equals(env.getProperty("mode")) ? " [smoke run]" : "");
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        String file =
                w[0].replaceAll("([a-z])([A-Z0-9])", "$1-$2").replace('.', '-').toLowerCase(Locale.ROOT) + ".png";
        ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, 900, 520);
        return mdDir.toAbsolutePath()
                .relativize(dir.toAbsolutePath().resolve(file))
                .toString();
    }

    private static String compact(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String full(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String micros(double us) {
        if (Double.isNaN(us)) {
            return "";
        }
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%.0f ms", us / 1000);
        }
        if (us >= 1_000) {
            return String.format(Locale.ROOT, "%.1f ms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.0f µs", us);
    }
}
