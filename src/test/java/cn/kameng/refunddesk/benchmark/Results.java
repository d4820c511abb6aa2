package cn.kameng.refunddesk.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The results of the benchmark runs in this JVM (one per database), written as results.md and
 * results.json after each run. The figure that matters is the ratio: the service's time per dispute
 * (or per query) divided by the bare baseline's, measured in the same run on the same machine.
 */
final class Results {

    record Row(String database, String measure, String side, Map<String, Object> metrics) {
    }

    /** Which metric of a measure is compared, and whether it is a rate (higher is better) or a time. */
    private static final Map<String, String[]> KEY_METRICS = new LinkedHashMap<>();

    static {
        KEY_METRICS.put("timer storm", new String[] {"jobsPerSecond", "rate", "openedInProcessPerSecond", "rate"});
        KEY_METRICS.put("intake", new String[] {"disputesPerSecond", "rate"});
        KEY_METRICS.put("full path", new String[] {"disputesPerSecond", "rate"});
        KEY_METRICS.put("arbiter queue", new String[] {"listMsP50", "time", "countMsP50", "time"});
    }

    private static final Map<String, Results> BY_DIRECTORY = new ConcurrentHashMap<>();

    private final Path directory;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<String, Object>> runs = new LinkedHashMap<>();

    private Results(Path directory) {
        this.directory = directory;
    }

    static Results of(String directory) {
        return BY_DIRECTORY.computeIfAbsent(directory, d -> new Results(Path.of(d)));
    }

    synchronized void startRun(String database, BenchmarkRun.Sizes sizes, double scale) {
        rows.removeIf(r -> r.database().equals(database));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", Instant.now().toString());
        run.put("scale", scale);
        run.put("sizes", sizes);
        run.put("loadAverageAtStart", loadAverage());
        runs.put(database, run);
    }

    synchronized void add(String database, String measure, String side, Map<String, Object> metrics) {
        rows.add(new Row(database, measure, side, metrics));
    }

    /** Time ratio service ÷ baseline of each measure's key metric: 1.0 means as fast as the bare engine. */
    synchronized Map<String, Double> ratios(String database) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        KEY_METRICS.forEach((measure, keys) -> {
            for (int k = 0; k < keys.length; k += 2) {
                Double service = metric(database, measure, BenchmarkRun.SERVICE, keys[k]);
                Double baseline = metric(database, measure, BenchmarkRun.BASELINE, keys[k]);
                if (service == null || baseline == null || service == 0 || baseline == 0) {
                    continue;
                }
                double ratio = "rate".equals(keys[k + 1]) ? baseline / service : service / baseline;
                ratios.put(measure + " (" + keys[k] + ")", Math.round(ratio * 100) / 100.0);
            }
        });
        // not against the baseline: how much longer taking in one polled channel complaint takes than opening one
        // dispute through the API (one poller against eight API clients: the wall-clock rates, as each runs)
        Double api = metric(database, "intake", BenchmarkRun.SERVICE, "disputesPerSecond");
        Double polled = metric(database, "channel ingestion", BenchmarkRun.SERVICE, "complaintsPerSecond");
        if (api != null && polled != null && api > 0 && polled > 0) {
            ratios.put("channel ingestion (complaintsPerSecond) ÷ API intake (disputesPerSecond), service",
                    Math.round(api / polled * 100) / 100.0);
        }
        return ratios;
    }

    private Double metric(String database, String measure, String side, String key) {
        return rows.stream().filter(r -> r.database().equals(database) && r.measure().equals(measure)
                && r.side().equals(side)).map(r -> r.metrics().get(key)).filter(v -> v instanceof Number)
                .map(v -> ((Number) v).doubleValue()).findFirst().orElse(null);
    }

    synchronized void write() {
        try {
            Files.createDirectories(directory);
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("machine", Machine.describe());
            Map<String, Object> databases = new LinkedHashMap<>();
            runs.forEach((db, run) -> {
                Map<String, Object> entry = new LinkedHashMap<>(run);
                entry.put("loadAverageAtEnd", loadAverage());
                entry.put("results", rows.stream().filter(r -> r.database().equals(db)).toList());
                entry.put("ratioServiceToBaseline", ratios(db));
                databases.put(db, entry);
            });
            all.put("runs", databases);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(directory.resolve("results.json").toFile(), all);
            Files.writeString(directory.resolve("results.md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append("Machine: ").append(Machine.describe()).append("\n\n");
        runs.forEach((db, run) -> {
            md.append("## ").append(db).append("\n\n");
            md.append("Started ").append(run.get("startedAt")).append(", scale ").append(run.get("scale"))
                    .append(", sizes ").append(run.get("sizes")).append(", load average at start ")
                    .append(run.get("loadAverageAtStart")).append(", now ").append(loadAverage()).append("\n\n");
            md.append("| measure | side | metrics |\n|---|---|---|\n");
            rows.stream().filter(r -> r.database().equals(db)).forEach(r -> md.append("| ").append(r.measure())
                    .append(" | ").append(r.side()).append(" | ").append(format(r.metrics())).append(" |\n"));
            md.append("\nTime ratio service ÷ baseline (1.0 = as fast as the bare engine; lower is better):\n\n");
            md.append("| measure | ratio |\n|---|---|\n");
            ratios(db).forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            md.append('\n');
        });
        return md.toString();
    }

    private static String format(Map<String, Object> metrics) {
        StringBuilder s = new StringBuilder();
        metrics.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return s.toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** The machine the numbers came from. */
    static final class Machine {
        private Machine() {
        }

        static String describe() {
            String cpu = "unknown CPU";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), max heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, Java "
                    + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                    + System.getProperty("os.version");
        }
    }
}
