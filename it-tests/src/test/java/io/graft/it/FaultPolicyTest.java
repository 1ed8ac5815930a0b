package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policies for a faulty plugin with the real distribution and a real bundle: a NaN penalty stops the run naming
 * the plugin; a throwing plugin is quarantined and the run finishes without it; a hung plugin is stopped after
 * {@code train.hookTimeout}. Whatever happens, the metrics and checkpoints written before stay on disk.
 */
class FaultPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PLUGIN_FAILED = 4;

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void install() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
        BoomBundle.writeTo(home.resolve("plugins/boom.jar"));
    }

    private static GraftDistribution.Result run(Path out, String boom, String... more) {
        List<String> sets = new ArrayList<>(List.of("plugins=[{id: boom, config: " + boom + "}]", "train.logEvery=10"));
        sets.addAll(List.of(more));
        return Cli.run(home, tmp.resolve("work"), home.resolve("examples/split-fmnist-er.yaml"), out,
                sets.toArray(String[]::new));
    }

    private static List<JsonNode> metrics(Path out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void aNanPenaltyStopsTheRunNamingThePlugin() throws IOException {
        Path out = tmp.resolve("runs/nan");
        GraftDistribution.Result r = run(out, "{failAfter: 40, mode: nan}");
        assertEquals(PLUGIN_FAILED, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        String last = Cli.lastErrorLine(r);
        assertTrue(last.startsWith("graft: plugin 'boom' failed in penalty at task 1, step 40"), r.describe());
        assertTrue(last.contains("NaN"), r.describe());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/state.json")), "the checkpoint after task 0 stays");
        assertEquals("failure", metrics(out).get(metrics(out).size() - 1).path("type").asText());
    }

    @Test
    void aThrowingPluginIsQuarantinedAndTheRunFinishesWithoutIt() throws IOException {
        Path out = tmp.resolve("runs/quarantine");
        GraftDistribution.Result r = run(out, "{failAfter: 40}", "train.pluginFailure=quarantine");
        assertEquals(0, r.exitCode(), r.describe());
        List<JsonNode> lines = metrics(out);
        JsonNode q = lines.stream().filter(l -> l.path("type").asText().equals("quarantine")).findFirst().orElseThrow();
        assertEquals("boom", q.path("plugin").asText());
        assertTrue(q.path("reason").asText().contains("boom at step 40"), q.toString());
        long before = lines.stream().filter(l -> l.path("type").asText().equals("step")).count();
        assertTrue(before > 0);
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(5, summary.path("class_il").path("accuracy_matrix").size(), summary.toString());
    }

    @Test
    void aHungPluginIsStoppedAfterTheHookTimeoutWithNothingLost() throws IOException {
        Path out = tmp.resolve("runs/hang");
        GraftDistribution.Result r = run(out, "{failAfter: 40, mode: hang}", "train.hookTimeout=2");
        assertFalse(r.timedOut(), r.describe());
        assertEquals(PLUGIN_FAILED, r.exitCode(), r.describe());
        Cli.assertNoStackTrace(r);
        String last = Cli.lastErrorLine(r);
        assertTrue(last.startsWith("graft: plugin 'boom' failed in penalty at task 1, step 40: it did not return within"
                + " train.hookTimeout (2.0 s)"), r.describe());
        List<JsonNode> lines = metrics(out);
        assertEquals("failure", lines.get(lines.size() - 1).path("type").asText(), lines.get(lines.size() - 1).toString());
        assertTrue(lines.stream().anyMatch(l -> l.path("type").asText().equals("eval") && l.path("after_task").asInt() == 0));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/state.json")), "the checkpoint after task 0 stays");
    }
}
