package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graft run} end to end on the shipped mini Fashion-MNIST: experience replay twice (same config and
 * seed) and fine-tuning once, then what a user reads from the run folders and from {@code graft summary}.
 */
class RunEndToEndTest {

    private static final int TASKS = 5;
    private static final int HIDDEN = 64;
    private static final int INPUTS = 28 * 28;
    private static final int CLASSES = 10;
    private static final double EPS = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path tmp;
    static Path home;
    static Path er;
    static Path erAgain;
    static Path finetune;
    static GraftDistribution.Result erRun;

    @BeforeAll
    static void runErTwiceAndFinetune() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
        Path work = tmp.resolve("work");
        er = tmp.resolve("runs/er");
        erAgain = tmp.resolve("runs/er-again");
        finetune = tmp.resolve("runs/finetune");
        erRun = Cli.run(home, work, home.resolve("examples/split-fmnist-er.yaml"), er);
        assertSucceeded(erRun, er);
        assertSucceeded(Cli.run(home, work, home.resolve("examples/split-fmnist-er.yaml"), erAgain), erAgain);
        assertSucceeded(Cli.run(home, work, home.resolve("examples/split-fmnist-finetune.yaml"), finetune), finetune);
    }

    private static void assertSucceeded(GraftDistribution.Result r, Path out) {
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        assertTrue(r.stdout().contains("graft: results in " + out.resolve("summary.json")), r.describe());
    }

    @Test
    void runFolderHoldsMetricsConfigAndSummary() throws IOException {
        for (String file : List.of("metrics.jsonl", "config.yaml", "summary.json")) {
            assertTrue(Files.isRegularFile(er.resolve(file)), file + " missing in " + er);
        }
        assertFalse(Files.exists(er.resolve("summary.json.partial")));
        assertFalse(Files.exists(er.resolve("graft-error.log")), "a clean run logs no error");
        // the progress goes to stderr, one line per task and a closing line
        assertTrue(erRun.stderr().contains("task " + TASKS + "/" + TASKS + " done"), erRun.describe());
        assertTrue(erRun.stderr().contains("graft: average accuracy class_il"), erRun.describe());

        // config.yaml is the resolved config: the file's values with the --set overrides applied
        JsonNode config = YAML.readTree(er.resolve("config.yaml").toFile());
        assertEquals(Cli.mini(home).toString(), config.path("data").path("dir").asText());
        assertEquals(List.of(HIDDEN), ints(config.path("model").path("hidden")));
        assertEquals(32, config.path("train").path("batchSize").asInt());
        assertEquals("cpu", config.path("device").asText());
        assertEquals("er", config.path("plugins").path(0).path("id").asText());
        assertEquals(500, config.path("plugins").path(0).path("config").path("bufferSize").asInt());
        assertEquals(config, summary(er).path("config"), "summary.json records the same resolved config");
    }

    @Test
    void metricsFileHasRunStartStepsEvaluationsAndRunEnd() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(er.resolve("metrics.jsonl"))) {
            JsonNode node = JSON.readTree(line);
            assertTrue(node.isObject() && node.hasNonNull("type") && node.has("t"), line);
            lines.add(node);
        }
        JsonNode start = lines.get(0);
        assertEquals("run_start", start.path("type").asText());
        assertEquals(TASKS, start.path("tasks").size());
        assertEquals(mlpParameters(List.of(HIDDEN)), start.path("parameters").asLong());
        assertEquals(42, start.path("seed").asLong());
        assertEquals("run_end", lines.get(lines.size() - 1).path("type").asText());

        // step lines: increasing steps, a finite loss, and each task's last step
        long lastStep = -1;
        boolean[] taskFinished = new boolean[TASKS];
        int steps = 0;
        for (JsonNode l : lines) {
            if (!l.path("type").asText().equals("step")) {
                continue;
            }
            steps++;
            long step = l.path("step").asLong();
            assertTrue(step > lastStep, "steps must increase: " + l);
            lastStep = step;
            assertTrue(l.path("loss").isNumber() && Double.isFinite(l.path("loss").asDouble()), l.toString());
            if (l.path("step_in_task").asLong() + 1 == l.path("steps_in_task").asLong()) {
                taskFinished[l.path("task").asInt()] = true;
            }
        }
        assertTrue(steps >= TASKS, "expected step lines in metrics.jsonl");
        for (int t = 0; t < TASKS; t++) {
            assertTrue(taskFinished[t], "no line for the last step of task " + t);
        }
        assertEquals(start.path("total_steps").asLong(), lastStep + 1);

        // eval lines: the baseline and one per task for each protocol, the same numbers as summary.json
        JsonNode summary = summary(er);
        for (String protocol : List.of("class_il", "task_il")) {
            List<JsonNode> evals = lines.stream().filter(l -> l.path("type").asText().equals("eval")
                    && l.path("protocol").asText().equals(protocol)).toList();
            assertEquals(TASKS + 1, evals.size(), protocol + " evaluations");
            assertEquals(-1, evals.get(0).path("after_task").asInt());
            assertEquals(summary.path(protocol).path("baseline_accuracies"), evals.get(0).path("accuracies"));
            for (int i = 0; i < TASKS; i++) {
                assertEquals(i, evals.get(i + 1).path("after_task").asInt());
                assertEquals(summary.path(protocol).path("accuracy_matrix").path(i), evals.get(i + 1).path("accuracies"),
                        protocol + " row " + i);
            }
        }
    }

    @Test
    void summaryMetricsAgreeWithTheAccuracyMatrix() throws IOException {
        for (Path run : List.of(er, finetune)) {
            JsonNode s = summary(run);
            for (String protocol : List.of("class_il", "task_il")) {
                JsonNode p = s.path(protocol);
                assertFalse(p.isMissingNode(), protocol + " missing in " + run);
                double[][] a = matrix(p.path("accuracy_matrix"));
                double[] b = vector(p.path("baseline_accuracies"));
                assertEquals(TASKS, a.length, protocol);
                assertEquals(TASKS, b.length, protocol);
                for (double[] row : a) {
                    assertEquals(TASKS, row.length, protocol);
                    for (double v : row) {
                        assertTrue(v >= 0 && v <= 1, protocol + " accuracy out of [0,1]: " + v);
                    }
                }
                int last = TASKS - 1;
                double avg = 0;
                for (int j = 0; j < TASKS; j++) {
                    avg += a[last][j];
                }
                double forgetting = 0;
                double bwt = 0;
                for (int j = 0; j < last; j++) {
                    double best = a[j][j];
                    for (int i = j; i <= last; i++) {
                        best = Math.max(best, a[i][j]);
                    }
                    forgetting += best - a[last][j];
                    bwt += a[last][j] - a[j][j];
                }
                double fwt = 0;
                for (int j = 1; j < TASKS; j++) {
                    fwt += a[j - 1][j] - b[j];
                }
                String where = run.getFileName() + " " + protocol;
                assertEquals(avg / TASKS, p.path("average_accuracy").asDouble(), EPS, where + " average_accuracy");
                assertEquals(forgetting / last, p.path("forgetting").asDouble(), EPS, where + " forgetting");
                assertEquals(bwt / last, p.path("bwt").asDouble(), EPS, where + " bwt");
                assertEquals(fwt / last, p.path("fwt").asDouble(), EPS, where + " fwt");
            }
        }
    }

    @Test
    void summaryRecordsRunPluginsSpeedAndModelSize() throws IOException {
        JsonNode s = summary(er);
        assertEquals("er", s.path("name").asText());
        assertEquals(42, s.path("seed").asLong());
        assertTrue(s.path("config").isObject(), "config missing");
        assertTrue(s.path("train_samples_per_second").asDouble() > 0, s.toString());
        assertTrue(s.path("wall_seconds").asDouble() > 0, s.toString());
        assertEquals(mlpParameters(List.of(HIDDEN)), s.path("parameters").asLong());
        assertEquals("cpu()", s.path("device").asText());

        JsonNode plugins = s.path("plugins");
        assertEquals(1, plugins.size(), plugins.toString());
        JsonNode plugin = plugins.path(0);
        assertEquals("er", plugin.path("id").asText());
        String version;
        try (JarFile jar = new JarFile(GraftDistribution.pluginJar(home, "graft-plugin-er").toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        assertNotNull(version);
        assertEquals(version, plugin.path("version").asText(), "the plugin's version is its bundle's");
        assertEquals(500, plugin.path("config").path("bufferSize").asInt(), plugin.toString());
        assertEquals(32, plugin.path("config").path("replayBatch").asInt(), plugin.toString());

        JsonNode ft = summary(finetune);
        assertEquals(0, ft.path("plugins").size(), "fine-tuning runs without plugins");
    }

    @Test
    void experienceReplayForgetsLessThanFineTuning() throws IOException {
        double erAcc = summary(er).path("class_il").path("average_accuracy").asDouble();
        double ftAcc = summary(finetune).path("class_il").path("average_accuracy").asDouble();
        // fine-tuning keeps only the last task in class-IL (about 0.2); 500 replayed samples keep much more
        assertTrue(ftAcc < 0.35, "fine-tuning class-IL average " + ftAcc);
        assertTrue(erAcc > ftAcc + 0.15, "ER class-IL average " + erAcc + " vs fine-tuning " + ftAcc);
        assertTrue(summary(er).path("class_il").path("forgetting").asDouble()
                < summary(finetune).path("class_il").path("forgetting").asDouble());
    }

    @Test
    void sameConfigAndSeedGiveTheSameAccuracies() throws IOException {
        JsonNode a = summary(er);
        JsonNode b = summary(erAgain);
        for (String protocol : List.of("class_il", "task_il")) {
            assertEquals(a.path(protocol).path("accuracy_matrix"), b.path(protocol).path("accuracy_matrix"), protocol);
            assertEquals(a.path(protocol).path("baseline_accuracies"), b.path(protocol).path("baseline_accuracies"),
                    protocol);
        }
    }

    @Test
    void summaryCommandTabulatesBothRuns() throws IOException {
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Duration.ofSeconds(60),
                "summary", finetune.toString(), er.toString());
        assertEquals(0, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        List<String> lines = r.stdout().strip().lines().toList();
        assertEquals(1 + 2 * 2, lines.size(), "a header and a row per run and protocol\n" + r.describe());
        assertTrue(lines.get(0).contains("avg acc") && lines.get(0).contains("forgetting"), r.describe());
        for (Path run : List.of(finetune, er)) {
            JsonNode s = summary(run);
            for (String protocol : List.of("class_il", "task_il")) {
                String avg = String.format(Locale.ROOT, "%.4f", s.path(protocol).path("average_accuracy").asDouble());
                String name = s.path("name").asText();
                assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ") && l.contains(protocol)
                        && l.contains(avg)), name + " " + protocol + " " + avg + " missing\n" + r.describe());
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("er ") && l.contains(" er ")), r.describe());
    }

    @Test
    void relativeDataDirIsRelativeToTheConfigFile() throws IOException {
        // a config beside its data, run from another folder
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        String yaml = Files.readString(home.resolve("examples/split-fmnist-finetune.yaml"))
                .replaceAll("(?m)^  dir: .*$", "  dir: ../graft/examples/data/fashion-mnist-mini");
        Path config = Files.writeString(project.resolve("finetune.yaml"), yaml);
        Path out = tmp.resolve("runs/relative");
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("elsewhere"), Cli.TIMEOUT,
                Cli.SMALL_RUN_ENV, "run", config.toString(), "--out", out.toString(), "--set", "model.hidden=[16]",
                "--set", "device=cpu");
        assertEquals(0, r.exitCode(), r.describe());
        JsonNode resolved = YAML.readTree(out.resolve("config.yaml").toFile());
        assertEquals(Cli.mini(home).toRealPath(), Path.of(resolved.path("data").path("dir").asText()).toRealPath(),
                "config.yaml records where the data came from");
        assertEquals(mlpParameters(List.of(16)), summary(out).path("parameters").asLong());
    }

    static long mlpParameters(List<Integer> hidden) {
        long total = 0;
        int in = INPUTS;
        List<Integer> widths = new ArrayList<>(hidden);
        widths.add(CLASSES);
        for (int out : widths) {
            total += (long) in * out + out;
            in = out;
        }
        return total;
    }

    static JsonNode summary(Path run) throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static double[] vector(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            assertTrue(array.get(i).isNumber(), "not a number: " + array);
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(rows.get(i));
        }
        return m;
    }
}
