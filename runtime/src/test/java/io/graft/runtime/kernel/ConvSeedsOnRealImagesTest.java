package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.growth.Blueprint;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.StructureEditor;
import io.graft.api.model.SlotAddress;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.ScenarioConfig;
import io.graft.runtime.scenario.ImageData;
import io.graft.runtime.scenario.Scenario;
import io.graft.runtime.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Function preservation of conv seeds on real images: a CNN (conv [16, 32], hidden [64]) trains on 2,000
 * Fashion-MNIST images (the full set's when {@code /usr/share/datasets/fashion-mnist} or {@code -Dgraft.fmnist=DIR}
 * is there, else the shipped subset), then the logits of 500 test images are compared, in evaluation mode, before
 * and after: germinating a randomly initialised conv seed after conv2 (a seed-only seed, {@code isolateHost}); one
 * seed-only step later, with the seed training (alpha 0) and the host, BatchNorm statistics included, frozen; and
 * grafting a zero-initialised conv branch after conv1 (alpha 1).
 */
class ConvSeedsOnRealImagesTest {

    private static final Path SYSTEM = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Path DATA = System.getProperty("graft.fmnist") != null ? Path.of(System.getProperty("graft.fmnist"))
            : Files.isDirectory(SYSTEM) ? SYSTEM : Path.of("../examples/data/fashion-mnist-mini").toAbsolutePath().normalize();
    private static final int IMAGES = 500;
    private static final long AT = 40;

    /** Germinates at step {@code AT}, looks again one step later and grafts a branch; the largest logit change each time. */
    static final class Probe implements TriggerCondition, GrowthPolicy {
        final Map<String, Float> changes = new LinkedHashMap<>();
        private final Scenario scenario;
        private NDManager keep;
        private NDArray reference;

        Probe(Scenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public boolean fires(TrainingSignals signals) {
            return !signals.taskBoundary() && (signals.step() == AT || signals.step() == AT + 1);
        }

        @Override
        public void grow(TaskContext task, StructureEditor editor) {
            if (keep == null) {
                // the images and the reference logits outlive the step
                keep = NDManager.newBaseManager(Device.cpu());
            }
            NDArray x = scenario.testData(0).batch(IntStream.range(0, IMAGES).toArray(), keep).features();
            if (reference == null) {
                reference = task.model().predict(x);
                reference.attach(keep);
                editor.germinate(SlotAddress.parse("r1c0"), Blueprint.conv(8).withZeroInit(false),
                        SeedPlan.builder().trainingSteps(1000).isolateHost(true).build());
                record("germinated conv(8) random-init after conv2", task, x, reference);
                return;
            }
            record("after a seed-only step (seed training, alpha 0)", task, x, reference);
            NDArray before = task.model().predict(x);
            editor.germinate(SlotAddress.parse("r0c0"), Blueprint.conv(8), SeedPlan.builder().graftAtOnce().build());
            record("conv(8) branch after conv1 (alpha 1)", task, x, before);
        }

        private void record(String change, TaskContext task, NDArray x, NDArray before) {
            changes.put(change, task.model().predict(x).sub(before).abs().max().getFloat());
        }
    }

    @Test
    void convSeedsKeepTheLogitsOfRealTestImages() {
        ImageData data = ImageData.load(DATA);
        data = new ImageData(ConvKernelTest.first(data.train(), 2000), ConvKernelTest.first(data.test(), IMAGES));
        Scenario one = Scenarios.create(new ScenarioConfig(ScenarioConfig.Type.SPLIT, 1, 10, null), data, 3);
        Probe probe = new Probe(one);
        RunResult r = new TrainingKernel(one, new ModelConfig(ModelConfig.CNN, List.of(64), null, null, List.of(16, 32)),
                TestData.train(1, 32, 0.03), 3, Device.cpu(), List.of(new ActivePlugin("probe", "1", probe),
                new ActivePlugin("ramp", "1", new SeedKernelTest.Ramp(100))), List.of()).run();
        System.out.println("[conv seeds] " + DATA + ", conv [16, 32], hidden [64], " + IMAGES + " test images: max |change"
                + " of a logit| " + probe.changes + "; isolation violations " + r.isolationViolations() + " over "
                + r.isolationCheckedSteps() + " checked steps");
        if (probe.keep != null) {
            probe.keep.close();
        }
        assertEquals(3, probe.changes.size(), probe.changes.toString());
        probe.changes.forEach((change, delta) -> assertTrue(delta <= 1e-5f, change + " changed the logits by " + delta));
        assertEquals(0, r.isolationViolations());
    }
}
