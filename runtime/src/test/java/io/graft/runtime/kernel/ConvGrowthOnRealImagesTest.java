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
 * Function preservation of the convolutional host's growth on real images, through the kernel's own editor: a CNN
 * trains on Fashion-MNIST (the shipped subset; the full set with {@code -Dgraft.fmnist=DIR}), then a policy widens
 * both blocks, inserts Dirac blocks and widens the dense layer, comparing the logits of 500 test images before and
 * after each change (evaluation mode, BatchNorm on its running statistics).
 */
class ConvGrowthOnRealImagesTest {

    private static final String FULL = System.getProperty("graft.fmnist");
    private static final Path DATA = Path.of(FULL != null ? FULL : "../examples/data/fashion-mnist-mini")
            .toAbsolutePath().normalize();
    private static final int IMAGES = 500;

    /** Acts once, after {@code at} steps, and records the largest change of any logit per change. */
    static final class Probe implements TriggerCondition, GrowthPolicy {
        final Map<String, Float> changes = new LinkedHashMap<>();
        private final Scenario scenario;
        private final long at;

        Probe(Scenario scenario, long at) {
            this.scenario = scenario;
            this.at = at;
        }

        @Override
        public boolean fires(TrainingSignals signals) {
            return !signals.taskBoundary() && signals.step() == at;
        }

        @Override
        public void grow(TaskContext task, StructureEditor editor) {
            try (NDManager m = task.manager().newSubManager()) {
                NDArray x = scenario.testData(0).batch(IntStream.range(0, IMAGES).toArray(), m).features();
                int c1 = editor.width("conv1");
                int c2 = editor.width("conv2");
                measure("widen conv1 " + c1 + " -> " + (c1 * 3 / 2), task, x, () -> editor.widen("conv1", c1 * 3 / 2, 0));
                measure("widen conv2 " + c2 + " -> " + (2 * c2), task, x, () -> editor.widen("conv2", 2 * c2, 0, 0.5));
                measure("Dirac block after conv1", task, x, () -> editor.insertIdentity("conv1"));
                measure("Dirac block after conv2", task, x, () -> editor.insertIdentity("conv2"));
                measure("widen fc1 32 -> 48", task, x, () -> editor.widen("fc1", 48, 0));
            }
        }

        private void measure(String change, TaskContext task, NDArray x, Runnable edit) {
            NDArray before = task.model().predict(x);
            edit.run();
            changes.put(change, task.model().predict(x).sub(before).abs().max().getFloat());
        }
    }

    @Test
    void growthKeepsTheLogitsOfRealTestImages() {
        ImageData data = ImageData.load(DATA);
        if (FULL == null) {
            data = new ImageData(ConvKernelTest.first(data.train(), 2000), ConvKernelTest.first(data.test(), IMAGES));
        }
        Scenario one = Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.SPLIT, 1, 10, null), data, 3);
        Probe probe = new Probe(one, FULL == null ? 40 : 600);
        List<Integer> conv = FULL == null ? List.of(8, 16) : List.of(16, 32);
        RunResult r = new TrainingKernel(one, ConvKernelTest.cnn(conv, List.of(32)), TestData.train(1, 32, 0.03), 3,
                Device.cpu(), List.of(new ActivePlugin("probe", "1", probe)), List.of()).run();
        System.out.println("[conv growth] " + DATA + ", conv " + conv + ", hidden [32]: max |change of a logit| on "
                + IMAGES + " test images: " + probe.changes + "; accuracy after training on "
                + r.parameterCount() + " weights: " + r.matrix(io.graft.api.Protocol.CLASS_IL).get(0, 0));
        assertEquals(5, probe.changes.size(), probe.changes.toString());
        probe.changes.forEach((change, delta) -> assertTrue(delta <= 1e-5f, change + " changed the logits by " + delta));
    }
}
