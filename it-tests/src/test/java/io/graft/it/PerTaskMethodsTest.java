package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped examples of the methods that train one head per task (HAT, AdaHAT, PackNet, progressive
 * networks, independent models) and of the joint bound, run by {@code graft run} on the mini data with the
 * real bundles: what each promises a user, read from {@code summary.json}.
 */
class PerTaskMethodsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void copyDistribution() {
        home = GraftDistribution.copy(tmp.resolve("graft"));
    }

    private static JsonNode run(String example, String... sets) throws IOException {
        Path out = tmp.resolve("runs").resolve(example);
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/split-fmnist-" + example
                + ".yaml"), out, sets);
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        return JSON.readTree(out.resolve("summary.json").toFile());
    }

    /** Below the diagonal, each column equals its diagonal entry exactly: nothing learnt later moved it. */
    private static void assertOldTasksBitForBit(JsonNode matrix) {
        for (int j = 0; j < matrix.size(); j++) {
            double own = matrix.get(j).get(j).asDouble();
            for (int i = j + 1; i < matrix.size(); i++) {
                assertEquals(own, matrix.get(i).get(j).asDouble(), 0.0, "task " + j + " after task " + i + ": " + matrix);
            }
        }
    }

    @Test
    void progressiveColumnsKeepOldTasksBitForBit() throws IOException {
        // 40 hidden units: five columns of 8
        JsonNode s = run("pnn", "model.hidden=[40]");
        assertFalse(s.has("class_il"), "one head per task is evaluated task-IL only: " + s);
        assertEquals("multi", s.path("heads").asText());
        assertOldTasksBitForBit(s.path("task_il").path("accuracy_matrix"));
        assertTrue(s.path("task_il").path("average_accuracy").asDouble() > 0.8, s.toString());
    }

    @Test
    void independentModelsKeepOldTasksBitForBit() throws IOException {
        JsonNode s = run("independent", "model.hidden=[40]");
        assertOldTasksBitForBit(s.path("task_il").path("accuracy_matrix"));
        assertTrue(s.path("task_il").path("average_accuracy").asDouble() > 0.8, s.toString());
    }

    @Test
    void packNetForgetsNothing() throws IOException {
        JsonNode s = run("packnet");
        assertEquals(0.0, s.path("task_il").path("forgetting").asDouble(), 0.0, s.toString());
        assertTrue(s.path("task_il").path("average_accuracy").asDouble() > 0.8, s.toString());
    }

    @Test
    void hatAndAdaHatTrainWithGates() throws IOException {
        for (String method : new String[] {"hat", "adahat"}) {
            JsonNode s = run(method);
            assertTrue(s.path("task_il").path("forgetting").asDouble() <= 0.02, method + ": " + s);
            assertTrue(s.path("task_il").path("average_accuracy").asDouble() > 0.7, method + ": " + s);
        }
    }

    @Test
    void jointBoundIsOneRowOverEveryTask() throws IOException {
        JsonNode s = run("joint");
        assertEquals("joint", s.path("regime").asText());
        JsonNode matrix = s.path("class_il").path("accuracy_matrix");
        assertEquals(1, matrix.size(), s.toString());
        assertEquals(5, matrix.get(0).size(), s.toString());
        assertTrue(s.path("class_il").path("forgetting").isTextual() || s.path("class_il").path("forgetting").isNull(),
                "no forgetting for a single phase: " + s);
        assertTrue(s.path("class_il").path("average_accuracy").asDouble() > 0.5, s.toString());
    }
}
