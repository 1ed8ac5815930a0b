package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party bundles dropped into a copy of the distribution's {@code plugins/}: a plugin that throws in
 * a hook stops the run with exit code 4 and one line, keeping what was measured; a bundle that cannot
 * resolve does not keep the others from working.
 */
class FaultyPluginTest {

    private static final int PLUGIN_FAILED = 4;
    /** 1000 training images per task at batch 32: steps 0..31 are task 0, so step 40 is in task 1. */
    private static final int FAIL_AT = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void installBoom() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
        BoomBundle.writeTo(home.resolve("plugins/boom.jar"));
    }

    @Test
    void pluginsCommandListsTheDroppedInBundle() {
        GraftDistribution.Result r = GraftDistribution.graft(home, tmp.resolve("work"), Duration.ofSeconds(90),
                "plugins");
        assertEquals(0, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        List<String> lines = r.stdout().lines().map(String::strip).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("boom.jar") && l.contains(BoomBundle.SYMBOLIC_NAME)
                && l.contains(BoomBundle.VERSION) && l.endsWith("ACTIVE")), r.describe());
        List<String> expected = new ArrayList<>(GraftDistribution.SHIPPED_PLUGINS);
        expected.add("boom");
        expected.sort(null);
        List<String> ids = new ArrayList<>();
        for (String l : lines) {
            String[] words = l.split("\\s+");
            if (words.length >= 2 && expected.contains(words[0])) {
                ids.add(words[0]);
                if (words[0].equals("boom")) {
                    assertEquals("regularizer", words[1], l);
                }
            }
        }
        assertEquals(expected, ids.stream().sorted().toList(), r.describe());
        assertFalse(r.stdout().contains("FAILED"), r.describe());
    }

    @Test
    void pluginThatThrowsStopsTheRunAndKeepsTheMetrics() throws IOException {
        Path out = tmp.resolve("runs/boom");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/split-fmnist-er.yaml"),
                out, "plugins=[{id: boom, config: {failAfter: " + FAIL_AT + "}}]", "train.logEvery=10");
        assertFalse(r.timedOut(), r.describe());
        assertEquals(PLUGIN_FAILED, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        assertEquals("", r.stdout().strip(), r.describe());
        // stderr: the progress of the tasks done so far, then one line that names the plugin and the hook
        String last = Cli.lastErrorLine(r);
        assertTrue(last.startsWith("graft: plugin 'boom' failed in penalty at task 1, step " + FAIL_AT + ": "),
                r.describe());
        assertTrue(last.contains("boom at step " + FAIL_AT), r.describe());
        assertEquals(1, r.stderr().lines().filter(l -> l.contains("'boom'")).count(), r.describe());

        // what was written before the failure stays on disk
        assertTrue(Files.isRegularFile(out.resolve("config.yaml")), "config.yaml missing");
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary.json for a failed run");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        assertEquals("run_start", lines.get(0).path("type").asText());
        List<Long> steps = lines.stream().filter(l -> l.path("type").asText().equals("step"))
                .map(l -> l.path("step").asLong()).toList();
        assertEquals(List.of(0L, 10L, 20L, 30L, 31L), steps, "step lines before the failure");
        assertTrue(lines.stream().anyMatch(l -> l.path("type").asText().equals("eval")
                && l.path("after_task").asInt() == 0), "the evaluation after task 0 is kept");
        JsonNode failure = lines.get(lines.size() - 1);
        assertEquals("failure", failure.path("type").asText(), failure.toString());
        assertEquals(PLUGIN_FAILED, failure.path("exit_code").asInt(), failure.toString());
        assertTrue(failure.path("message").asText().contains("boom at step " + FAIL_AT), failure.toString());

        // the stack trace goes to the run folder, not to the terminal
        Path errorLog = out.resolve("graft-error.log");
        assertTrue(Files.isRegularFile(errorLog), "graft-error.log missing in " + out);
        String trace = Files.readString(errorLog);
        assertTrue(trace.contains("IllegalStateException: boom at step " + FAIL_AT), trace);
        assertTrue(trace.contains("BoomRegularizer.penalty"), trace);
    }

    @Test
    void failedRunInAReusedFolderLeavesNoStaleSummary() throws IOException {
        Path out = tmp.resolve("runs/reused");
        Path config = home.resolve("examples/split-fmnist-er.yaml");
        GraftDistribution.Result first = Cli.run(home, tmp.resolve("work"), config, out);
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(Files.isRegularFile(out.resolve("summary.json")), first.describe());

        GraftDistribution.Result again = Cli.run(home, tmp.resolve("work"), config, out, "plugins=[{id: boom}]");
        assertEquals(PLUGIN_FAILED, again.exitCode(), again.describe());
        // the folder now describes the failed run: its config and metrics, and no summary of the earlier run
        assertFalse(Files.exists(out.resolve("summary.json")),
                "the earlier run's summary.json would pass for this run's in 'graft summary'");
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("boom"));
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertTrue(metrics.get(metrics.size() - 1).contains("\"type\":\"failure\""), metrics.toString());
    }

    @Test
    void bundleThatCannotResolveDoesNotStopARunWithEr() throws IOException {
        Path other = GraftDistribution.copy(tmp.resolve("graft-broken"));
        Path er = GraftDistribution.pluginJar(other, "graft-plugin-er");
        GraftDistribution.rewriteBundle(er, other.resolve("plugins/broken.jar"), a -> {
            a.putValue("Bundle-SymbolicName", "io.graft.it.broken");
            a.putValue("Import-Package", a.getValue("Import-Package") + ",com.example.missing");
        });
        GraftDistribution.Result plugins = GraftDistribution.graft(other, tmp.resolve("work"), Duration.ofSeconds(90),
                "plugins");
        assertEquals(0, plugins.exitCode(), plugins.describe());
        assertTrue(plugins.stdout().contains("FAILED: unresolved import com.example.missing"), plugins.describe());

        Path out = tmp.resolve("runs/er-beside-broken");
        GraftDistribution.Result r = Cli.run(other, tmp.resolve("work"), other.resolve("examples/split-fmnist-er.yaml"),
                out);
        assertEquals(0, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("er", summary.path("plugins").path(0).path("id").asText());
        assertEquals("io.graft.plugin.er", summary.path("plugins").path(0).path("bundle").asText());
        assertEquals(5, summary.path("class_il").path("accuracy_matrix").size());
    }
}
