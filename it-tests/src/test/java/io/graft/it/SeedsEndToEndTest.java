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
 * Seeds with the real seeds, blend and triggers bundles in the built distribution: a lifecycle recorded in the
 * metrics and the report, seed-only steps checked by the isolation verifier, seeds per task that leave earlier
 * tasks untouched, and the settings that cannot fit the network refused in one line before training.
 */
class SeedsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void copyDistribution() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
    }

    private static List<JsonNode> lines(Path out, String type) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode event = JSON.readTree(line);
            if (type.equals(event.path("type").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    @Test
    void aSeedGoesThroughItsLifecycleWhileTheVerifierWatchesTheFrozenHost() throws IOException {
        Path out = tmp.resolve("runs/seeds");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/seeds-fmnist.yaml"), out,
                "scenario.tasks=1", "model.hidden=[32, 32]", "train.epochs=2", "plugins.0.id=schedule", "plugins.0.config={every: 100}",
                "plugins.1.config.trainingSteps=20", "plugins.2.config.steps=20");
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        List<JsonNode> seeds = lines(out, "seed");
        List<String> first = seeds.stream().filter(s -> s.path("slot").asText().equals("r1c0"))
                .map(s -> s.path("to").asText()).limit(4).toList();
        assertEquals(List.of("germinated", "training", "blending", "integrated"), first, seeds.toString());
        assertEquals(100, seeds.get(0).path("step").asInt());
        assertEquals(20, lines(out, "alpha").stream().filter(a -> a.path("slot").asText().equals("r1c0")).count(),
                "alpha at each of the 20 blending steps");
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(0, summary.path("isolation_violations").asLong(), summary.toString());
        assertTrue(summary.path("isolation_checked_steps").asLong() >= 40, summary.toString());
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("Seeds") && report.contains("r1c0") && report.contains("integrated"),
                "the report's seed timeline");
    }

    @Test
    void aConvSeedOnTheCnnGoesThroughItsLifecycleWithTheHostAndItsStatisticsFrozen() throws IOException {
        Path out = tmp.resolve("runs/seeds-cnn");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/seeds-cnn-fmnist.yaml"),
                out, "scenario.tasks=1", "model.conv=[4, 8]", "model.hidden=[16]", "train.epochs=1",
                "plugins.0.id=schedule", "plugins.0.config={every: 50}", "plugins.1.config.hidden=4",
                "plugins.1.config.trainingSteps=20", "plugins.2.config.steps=20");
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        List<JsonNode> seeds = lines(out, "seed");
        List<String> first = seeds.stream().filter(s -> s.path("slot").asText().equals("r1c0"))
                .map(s -> s.path("to").asText()).limit(4).toList();
        assertEquals(List.of("germinated", "training", "blending", "integrated"), first, seeds.toString());
        assertEquals("conv2", seeds.get(0).path("layer").asText(), seeds.get(0).toString());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(0, summary.path("isolation_violations").asLong(), summary.toString());
        assertTrue(summary.path("isolation_checked_steps").asLong() >= 40, summary.toString());
    }

    @Test
    void seedsPerTaskLeaveEveryEarlierTaskExactlyAsItWas() throws IOException {
        Path out = tmp.resolve("runs/per-task");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"),
                home.resolve("examples/grow-per-task-fmnist.yaml"), out, "model.hidden=[32, 32]",
                "plugins.1.config.hidden=16", "plugins.2.config.steps=10");
        assertEquals(0, r.exitCode(), r.describe());
        assertNoForgetting(out);
        assertEquals(4, lines(out, "seed").stream().filter(s -> s.path("to").asText().equals("germinated")).count());
    }

    @Test
    void progressiveColumnsGrownAtTaskBoundariesLeaveEveryEarlierTaskExactlyAsItWas() throws IOException {
        Path out = tmp.resolve("runs/pnn-grow");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"),
                home.resolve("examples/split-fmnist-pnn-grow.yaml"), out, "model.hidden=[16, 16]");
        assertEquals(0, r.exitCode(), r.describe());
        assertNoForgetting(out);
        List<JsonNode> growth = lines(out, "growth");
        assertEquals(8, growth.size(), "a 16-unit column added to both hidden layers at each of 4 boundaries");
        assertTrue(growth.stream().allMatch(g -> g.path("operation").asText().equals("add_units")), growth.toString());
        assertEquals(784 * 80 + 80 + 80 * 80 + 80 + 80 * 10 + 10,
                JSON.readTree(out.resolve("summary.json").toFile()).path("parameters").asLong());
    }

    private static void assertNoForgetting(Path out) throws IOException {
        JsonNode matrix = JSON.readTree(out.resolve("summary.json").toFile()).path("task_il").path("accuracy_matrix");
        assertEquals(5, matrix.size(), matrix.toString());
        for (int row = 1; row < matrix.size(); row++) {
            for (int task = 0; task < row; task++) {
                assertEquals(matrix.get(task).get(task).asDouble(), matrix.get(row).get(task).asDouble(), 0.0,
                        "task " + task + " after task " + row + ": " + matrix);
            }
        }
    }

    private static String refused(String name, Path config, String... sets) {
        Path out = tmp.resolve("runs").resolve(name);
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("scenario.tasks=1"),
                java.util.Arrays.stream(sets)).toArray(String[]::new);
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), config, out, all);
        String message = Cli.assertOneLineFailure(r, 2);
        assertFalse(Files.exists(out.resolve("summary.json")), r.describe());
        return message;
    }

    @Test
    void settingsThatCannotFitTheNetworkAreRefusedInOneLineBeforeTraining() {
        Path seeds = home.resolve("examples/seeds-fmnist.yaml");
        assertEquals("plugin 'seeds': slot r4c0 is outside the grid: the grid has rows r0..r0 and columns c0..c1"
                + " (model.slots: 2)", refused("outside", seeds, "plugins.1.config.slot=r4c0"));
        assertEquals("plugin 'seeds': blueprint conv does not fit slot r0c0, which follows a dense layer; use"
                + " blueprint residual or linear", refused("conv", seeds, "plugins.1.config.blueprint=conv"));
        assertEquals("plugin 'seeds': blueprint residual does not fit slot r1c0, which follows a convolutional block;"
                + " use blueprint conv", refused("residual-on-conv", home.resolve("examples/seeds-cnn-fmnist.yaml"),
                "model.conv=[4, 8]", "plugins.1.config.blueprint=residual"));
        String alpha = refused("alpha", seeds, "plugins.2.config.to=1.5");
        assertTrue(alpha.contains("blend-cosine") && alpha.contains("to") && alpha.contains("[0, 1]"), alpha);
        String prune = refused("prune", home.resolve("examples/prune-fmnist-structured.yaml"),
                "plugins.0.config.sparsity=1.0");
        assertTrue(prune.contains("would empty the layers"), prune);
    }
}
