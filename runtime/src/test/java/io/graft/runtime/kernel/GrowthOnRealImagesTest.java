package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.StructureEditor;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.scenario.ImageData;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Function preservation on real images through the kernel: the shipped Fashion-MNIST subset as one 10-class
 * task; after 60 training steps, a growth policy widens, inserts an identity layer and widens again through the
 * kernel's own {@link StructureEditor}, and the logits of 500 real training images are compared before and
 * after each change with the kernel's model view (evaluation mode).
 */
class GrowthOnRealImagesTest {

    private static final Path MINI = Path.of("../examples/data/fashion-mnist-mini").toAbsolutePath().normalize();
    private static final int IMAGES = 500;

    /** Acts once, after 60 steps, and records the largest change of any logit per change. */
    static final class Probe implements TriggerCondition, GrowthPolicy {
        final Map<String, Float> changes = new LinkedHashMap<>();
        private final double noise;

        Probe(double noise) {
            this.noise = noise;
        }

        @Override
        public boolean fires(TrainingSignals signals) {
            return !signals.taskBoundary() && signals.step() == 60;
        }

        @Override
        public void grow(TaskContext task, StructureEditor editor) {
            try (NDManager m = task.manager().newSubManager()) {
                NDArray x = task.data().batch(IntStream.range(0, IMAGES).toArray(), m).features();
                measure("widen fc1 32 -> 64", task, x, () -> editor.widen("fc1", 64, noise));
                measure("identity after fc1", task, x, () -> editor.insertIdentity("fc1"));
                measure("widen fc2 32 -> 128", task, x, () -> editor.widen("fc2", 128, noise));
                measure("widen fc1 64 -> 96", task, x, () -> editor.widen("fc1", 96, noise));
            }
        }

        private void measure(String change, TaskContext task, NDArray x, Runnable edit) {
            NDArray before = task.model().predict(x);
            edit.run();
            changes.put(change, task.model().predict(x).sub(before).abs().max().getFloat());
        }
    }

    private static Map<String, Float> run(double noise) {
        Scenario one = Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.SPLIT, 1, 10, null), ImageData.load(MINI), 3);
        Probe probe = new Probe(noise);
        new TrainingKernel(one, TestData.model(32), TestData.train(1, 32, 0.03), 3, Device.cpu(),
                List.of(new ActivePlugin("probe", "1", probe)), List.of()).run();
        return probe.changes;
    }

    @Test
    void growthKeepsTheLogitsOfRealImages() {
        Map<String, Float> exact = run(0.0);
        System.out.println("[growth] max |change of a logit| on " + IMAGES + " real images: " + exact);
        assertEquals(4, exact.size(), exact.toString());
        exact.forEach((change, delta) -> assertTrue(delta <= 1e-5f, change + " changed the logits by " + delta));
        Map<String, Float> noisy = run(0.01);
        assertTrue(noisy.get("widen fc1 32 -> 64") > 1e-5f, "noise on the copies changes the function: " + noisy);
        assertTrue(noisy.get("identity after fc1") <= 1e-5f, "an identity layer takes no noise: " + noisy);
    }
}
