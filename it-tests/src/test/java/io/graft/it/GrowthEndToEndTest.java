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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network grows during a real run with the real bundles: the grow-as-needed example on the mini data, its
 * plateau trigger swapped for a schedule so that growth happens within the few steps of the small set.
 */
class GrowthEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theHostGrowsWhenItsTriggerFiresAndEveryChangeIsRecorded() throws IOException {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Path out = tmp.resolve("runs/grow");
        GraftDistribution.Result r = Cli.run(home, tmp.resolve("work"), home.resolve("examples/grow-fmnist.yaml"), out,
                "scenario.tasks=1", "model.hidden=[32]", "train.epochs=1", "plugins.0.id=schedule", "plugins.0.config={every: 40}");
        assertFalse(r.timedOut(), r.describe());
        assertEquals(0, r.exitCode(), r.describe());
        List<JsonNode> growth = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode event = JSON.readTree(line);
            if ("growth".equals(event.path("type").asText())) {
                growth.add(event);
            }
        }
        // 157 steps: the schedule fires after 40, 80 and 120; each time widen doubles every hidden layer (to 120
        // at most) and deepen adds an identity layer (up to 3 hidden layers)
        assertEquals(40, growth.get(0).path("step").asInt(), growth.toString());
        assertTrue(growth.stream().anyMatch(g -> g.path("operation").asText().equals("widen")), growth.toString());
        assertTrue(growth.stream().anyMatch(g -> g.path("operation").asText().equals("insert_identity")),
                growth.toString());
        for (int i = 1; i < growth.size(); i++) {
            assertEquals(growth.get(i - 1).path("parameters_after").asLong(),
                    growth.get(i).path("parameters_before").asLong(), "changes chain up: " + growth);
        }
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals(growth.get(growth.size() - 1).path("parameters_after").asLong(), summary.path("parameters").asLong());
        assertTrue(summary.path("parameters").asLong() > 784 * 32 + 32 + 32 * 10 + 10, summary.toString());
        assertTrue(summary.path("class_il").path("average_accuracy").asDouble() > 0.5, summary.toString());
        assertTrue(Files.readString(out.resolve("report.html")).contains("insert_identity"));
    }
}
