package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft compare} end to end on the shipped mini Fashion-MNIST: a grid of fine-tuning and experience
 * replay × two seeds, then the run folders, their {@code report.html}, and {@code comparison.csv/.md/.html}
 * checked against the runs' own {@code summary.json} and {@code metrics.jsonl}. Also a grid with failing runs
 * (it goes on) and a bad base config (it stops with one line).
 */
class CompareEndToEndTest {

    private static final List<String> METHODS = List.of("finetune", "er");
    private static final List<Long> SEEDS = List.of(1L, 2L);
    private static final List<String> PROTOCOLS = List.of("class_il", "task_il");
    private static final List<String> METRICS = List.of("average_accuracy", "forgetting", "bwt", "fwt");
    private static final double EPS = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NASTY = "x</script><script>alert(1)</script>\"quoted\"&amp;";

    @TempDir
    static Path tmp;
    static Path home;
    static Path out;
    static GraftDistribution.Result grid;

    @BeforeAll
    static void runTheGrid() throws IOException {
        home = GraftDistribution.copy(tmp.resolve("graft"));
        Path project = Files.createDirectories(tmp.resolve("project"));
        // base is relative to the grid file
        Files.writeString(project.resolve("grid.yaml"), """
                name: mini
                base: ../graft/examples/split-fmnist-finetune.yaml
                seeds: [1, 2]
                methods:
                  finetune: {}
                  er: {plugins: [{id: er, config: {bufferSize: 200}}]}
                """);
        out = tmp.resolve("out");
        grid = compare(project.resolve("grid.yaml"), out);
        assertFalse(grid.timedOut(), grid.describe());
        assertEquals(0, grid.exitCode(), grid.describe());
        Cli.assertNoStackTrace(grid);
    }

    /** {@code graft compare GRID --out OUT} with the small-run settings of {@link Cli#run}. */
    static GraftDistribution.Result compare(Path gridFile, Path outDir) {
        return GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, Cli.SMALL_RUN_ENV, "compare",
                gridFile.toString(), "--out", outDir.toString(), "--set", "data.dir=" + Cli.mini(home),
                "--set", "model.hidden=[64]", "--set", "train.batchSize=32", "--set", "device=cpu");
    }

    @Test
    void everyRunHasItsFolderAndTheProgressNamesIt() throws IOException {
        int i = 0;
        for (String method : METHODS) {
            for (long seed : SEEDS) {
                i++;
                Path run = out.resolve(method + "/given/seed-" + seed);
                for (String file : List.of("config.yaml", "metrics.jsonl", "summary.json", "report.html")) {
                    assertTrue(Files.isRegularFile(run.resolve(file)), file + " missing in " + run);
                }
                JsonNode s = summary(run);
                assertEquals(seed, s.path("seed").asLong());
                assertEquals(method, s.path("name").asText(), "a run is named after its method");
                assertEquals(64, s.path("config").path("model").path("hidden").path(0).asInt(), "--set applies to every run");
                assertEquals(method.equals("er") ? 1 : 0, s.path("plugins").size());
                assertTrue(grid.stderr().contains("graft: run " + i + "/4 " + method + " given seed " + seed),
                        grid.describe());
            }
        }
        assertEquals(200, summary(out.resolve("er/given/seed-1")).path("plugins").path(0).path("config")
                .path("bufferSize").asInt(), "the method's overrides");
        assertTrue(grid.stdout().contains(out.resolve("comparison.md").toString()), grid.describe());
        assertFalse(summary(out.resolve("er/given/seed-1")).path("class_il").equals(
                summary(out.resolve("er/given/seed-2")).path("class_il")), "different seeds give different runs");
    }

    @Test
    void csvMeansAndStdsAreThoseOfTheRunsSummaries() throws IOException {
        List<Map<String, String>> rows = csv(out.resolve("comparison.csv"));
        assertEquals(METHODS.size(), rows.size(), rows.toString());
        for (int r = 0; r < METHODS.size(); r++) {
            Map<String, String> row = rows.get(r);
            String method = METHODS.get(r);
            assertEquals(method, row.get("method"));
            assertEquals("given", row.get("order"));
            assertEquals("2", row.get("finished"));
            assertEquals("0", row.get("failed"));
            assertEquals("", row.get("failures"));
            List<JsonNode> summaries = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            for (long seed : SEEDS) {
                Path run = out.resolve(method + "/given/seed-" + seed);
                summaries.add(summary(run));
                rss.add(peakRss(run));
            }
            for (String protocol : PROTOCOLS) {
                for (String metric : METRICS) {
                    List<Double> values = summaries.stream().map(s -> s.path(protocol).path(metric).asDouble()).toList();
                    assertMeanStd(row, protocol + "_" + metric, values);
                }
            }
            assertMeanStd(row, "train_samples_per_second",
                    summaries.stream().map(s -> s.path("train_samples_per_second").asDouble()).toList());
            assertMeanStd(row, "wall_seconds", summaries.stream().map(s -> s.path("wall_seconds").asDouble()).toList());
            assertMeanStd(row, "peak_rss_mb", rss);
        }
    }

    @Test
    void markdownHasATablePerProtocolAndLinksEveryReport() throws IOException {
        String md = Files.readString(out.resolve("comparison.md"));
        for (String heading : List.of("## class_il", "## task_il", "## Cost", "## Runs")) {
            assertTrue(md.contains(heading), heading + " missing:\n" + md);
        }
        for (String method : METHODS) {
            double mean = (summary(out.resolve(method + "/given/seed-1")).path("class_il").path("average_accuracy").asDouble()
                    + summary(out.resolve(method + "/given/seed-2")).path("class_il").path("average_accuracy").asDouble()) / 2;
            assertTrue(md.contains("| " + method + " | given | 2/2 | " + String.format(java.util.Locale.ROOT, "%.4f ± ", mean)),
                    method + " row missing:\n" + md);
            for (long seed : SEEDS) {
                assertTrue(md.contains("[report](" + method + "/given/seed-" + seed + "/report.html)"), md);
            }
        }
        assertTrue(md.contains("4 of 4 runs finished."), md);
    }

    @Test
    void comparisonPageIsSelfContainedAndLinksTheRunReports() throws IOException {
        String page = Files.readString(out.resolve("comparison.html"));
        assertSelfContained(page);
        JsonNode data = pageData(page);
        assertEquals("mini", data.path("title").asText());
        assertEquals(4, data.path("runs").size());
        for (JsonNode run : data.path("runs")) {
            assertTrue(Files.isRegularFile(out.resolve(run.path("report").asText())), run.toString());
        }
        // a bar chart per metric: four per protocol and three for the cost
        assertEquals(PROTOCOLS.size() * METRICS.size() + 3, data.path("metrics").size(), data.path("metrics").toString());
        assertEquals(Double.parseDouble(csv(out.resolve("comparison.csv")).get(0).get("class_il_average_accuracy_mean")),
                data.path("rows").path(0).path("stats").path("class_il.average_accuracy").path("mean").asDouble(), EPS,
                "the page's numbers are the CSV's");
    }

    @Test
    void runReportCarriesTheRunsNumbersLossAndPluginMetrics() throws IOException {
        Path run = out.resolve("er/given/seed-2");
        String page = Files.readString(run.resolve("report.html"));
        assertSelfContained(page);
        JsonNode data = pageData(page);
        JsonNode s = summary(run);
        assertEquals("er", data.path("name").asText());
        assertEquals(2, data.path("seed").asLong());
        assertEquals("cpu()", data.path("device").asText());
        assertEquals(5, data.path("tasks").size());
        assertEquals("classes 0,1", data.path("tasks").path(0).asText());
        for (int p = 0; p < PROTOCOLS.size(); p++) {
            JsonNode protocol = data.path("protocols").path(p);
            assertEquals(PROTOCOLS.get(p), protocol.path("key").asText());
            assertEquals(s.path(PROTOCOLS.get(p)).path("accuracy_matrix"), protocol.path("matrix"));
            assertEquals(s.path(PROTOCOLS.get(p)).path("baseline_accuracies"), protocol.path("baseline"));
            assertEquals(s.path(PROTOCOLS.get(p)).path("average_accuracy").asDouble(),
                    protocol.path("averageAccuracy").asDouble(), EPS);
        }
        assertEquals(5, data.path("loss").size(), "a loss line per task");
        assertEquals(5, data.path("taskStarts").size());
        assertEquals("er.buffer_size", data.path("pluginMetrics").path(0).path("name").asText());
        assertEquals(s.path("train_samples_per_second").asDouble(), data.path("trainSamplesPerSecond").asDouble(), EPS);
        assertEquals(peakRss(run), data.path("peakRssMb").asDouble(), EPS);
        assertTrue(data.path("configYaml").asText().contains("bufferSize: 200"), data.path("configYaml").asText());
    }

    @Test
    void runReportEscapesWhatTheUserWrote() throws IOException {
        Path run = tmp.resolve("runs/nasty");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/split-fmnist-finetune.yaml"),
                run, "name=" + NASTY, "scenario.tasks=2");
        assertEquals(0, r.exitCode(), r.describe());
        String page = Files.readString(run.resolve("report.html"));
        assertSelfContained(page);
        assertFalse(page.contains("alert(1)</script>"), "the name closed a script element");
        assertTrue(page.contains("<h1>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;quoted&quot;&amp;amp;</h1>"),
                "the heading is escaped");
        assertEquals(NASTY, pageData(page).path("name").asText(), "the page's data gives the name back exactly");
    }

    @Test
    void failedRunsAreRecordedAndTheGridGoesOn() throws IOException {
        Path file = Files.writeString(tmp.resolve("project/failing.yaml"), """
                base: ../graft/examples/split-fmnist-finetune.yaml
                seeds: [7]
                methods:
                  nosuch: {plugins: [{id: nosuch}]}
                  typo: {train: {epochz: 2}}
                  finetune: {}
                """);
        Path failing = tmp.resolve("failing");
        GraftDistribution.Result r = compare(file, failing);
        assertFalse(r.timedOut(), r.describe());
        assertEquals(2, r.exitCode(), "the exit code of the first failure (config)\n" + r.describe());
        Cli.assertNoStackTrace(r);
        assertTrue(Cli.lastErrorLine(r).startsWith("graft: 2 of 3 runs failed"), r.describe());
        List<Map<String, String>> rows = csv(failing.resolve("comparison.csv"));
        assertEquals(List.of("nosuch", "typo", "finetune"), rows.stream().map(m -> m.get("method")).toList());
        assertEquals("1", rows.get(0).get("failed"));
        assertTrue(rows.get(0).get("failures").startsWith("seed 7: config: unknown plugin 'nosuch'"), rows.toString());
        assertTrue(rows.get(1).get("failures").contains("train.epochz"), rows.toString());
        assertEquals("", rows.get(0).get("class_il_average_accuracy_mean"));
        assertEquals("1", rows.get(2).get("finished"));
        assertEquals(summary(failing.resolve("finetune/given/seed-7")).path("class_il").path("average_accuracy").asDouble(),
                Double.parseDouble(rows.get(2).get("class_il_average_accuracy_mean")), EPS);
        assertEquals("", rows.get(2).get("class_il_average_accuracy_std"), "no std from one seed");
        String md = Files.readString(failing.resolve("comparison.md"));
        assertTrue(md.contains("| nosuch | given | 7 | failed (exit 2): config: unknown plugin 'nosuch'"), md);
    }

    @Test
    void badBaseConfigOrGridStopsWithOneLine() throws IOException {
        Files.writeString(tmp.resolve("project/bad-base.yaml"), "data: {dir: x}\ntrain: {epochz: 2}\n");
        Path badBase = Files.writeString(tmp.resolve("project/bad.yaml"), "base: bad-base.yaml\nmethods: {a: {}}\n");
        String line = Cli.assertOneLineFailure(compare(badBase, tmp.resolve("bad")), 2);
        assertTrue(line.contains("train.epochz"), line);
        assertFalse(Files.exists(tmp.resolve("bad/comparison.csv")), "no run was started");

        Path noMethods = Files.writeString(tmp.resolve("project/empty.yaml"), "base: grid.yaml\n");
        line = Cli.assertOneLineFailure(compare(noMethods, tmp.resolve("bad")), 2);
        assertTrue(line.contains("'methods' is missing"), line);

        line = Cli.assertOneLineFailure(GraftDistribution.graft(home, tmp.resolve("work"), Cli.TIMEOUT, "compare"), 2);
        assertTrue(line.contains("usage: graft compare"), line);
    }

    private static void assertMeanStd(Map<String, String> row, String key, List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        String m = row.get(key + "_mean");
        String s = row.get(key + "_std");
        assertNotNull(m, key + "_mean missing: " + row.keySet());
        assertEquals(mean, Double.parseDouble(m), EPS, key + " mean of " + values);
        assertEquals(Math.sqrt(squares / (values.size() - 1)), Double.parseDouble(s), EPS, key + " std of " + values);
    }

    static void assertSelfContained(String page) {
        assertTrue(page.startsWith("<!DOCTYPE html>"), "not an HTML page");
        assertFalse(Pattern.compile("<script[^>]*\\ssrc=", Pattern.CASE_INSENSITIVE).matcher(page).find(),
                "a script loaded from elsewhere");
        assertFalse(Pattern.compile("<link[^>]*>", Pattern.CASE_INSENSITIVE).matcher(page).find(), "a linked resource");
        assertTrue(page.contains("echarts"), "ECharts is not inlined");
    }

    static JsonNode pageData(String page) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"graft-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(page);
        assertTrue(m.find(), "the page has no data element");
        return JSON.readTree(m.group(1));
    }

    static JsonNode summary(Path run) throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    /** @return the largest rss_mb of the run's task_end lines */
    private static double peakRss(Path run) throws IOException {
        double peak = Double.NaN;
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            if (node.path("type").asText().equals("task_end") && node.path("rss_mb").isNumber()) {
                peak = Double.isNaN(peak) ? node.path("rss_mb").asDouble() : Math.max(peak, node.path("rss_mb").asDouble());
            }
        }
        assertFalse(Double.isNaN(peak), "no rss_mb in " + run);
        return peak;
    }

    /** Reads RFC 4180 CSV (quoted fields with commas and doubled quotes) into one map per row, by header. */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<List<String>> records = new ArrayList<>();
        String text = Files.readString(file);
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        assertTrue(record.isEmpty() && field.length() == 0, "the CSV does not end with a line break");
        List<String> header = records.get(0);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertEquals(header.size(), r.size(), "fields in " + r);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), r.get(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
