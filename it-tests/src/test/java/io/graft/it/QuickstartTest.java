package io.graft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command on a machine without the full data set: the quickstart on the shipped subset. */
class QuickstartTest {

    @TempDir
    Path tmp;

    @Test
    void quickstartRunsTheThreeMethodsOnTheSubsetAndPrintsTheTable() {
        Path home = GraftDistribution.copy(tmp.resolve("graft"));
        Map<String, String> env = new HashMap<>();
        env.put("FASHION_MNIST_DIR", tmp.resolve("not-installed").toString());
        env.put("OMP_NUM_THREADS", "1");
        GraftDistribution.Result r = GraftDistribution.exec(home.resolve("examples/quickstart.sh"), tmp.resolve("work"),
                Duration.ofMinutes(4), env, tmp.resolve("out").toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("using the shipped subset"), r.describe());
        Map<String, double[]> rows = new HashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 8 && List.of("finetune", "ewc", "er").contains(w[0])) {
                double[] acc = rows.computeIfAbsent(w[0], k -> new double[2]);
                acc[w[2].equals("class_il") ? 0 : 1] = Double.parseDouble(w[3]);
            }
        }
        assertEquals(3, rows.size(), r.describe());
        // catastrophic forgetting on class-IL for fine-tuning, and replay clearly fighting it
        assertTrue(rows.get("finetune")[0] < 0.3, r.describe());
        assertTrue(rows.get("er")[0] > rows.get("finetune")[0] + 0.3, r.describe());
        // EWC keeps the task-IL accuracy of earlier tasks better than fine-tuning
        assertTrue(rows.get("ewc")[1] > rows.get("finetune")[1], r.describe());
    }
}
