package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.graft.api.Protocol;
import io.graft.api.growth.Blueprint;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.SlotView;
import io.graft.api.growth.StructureEditor;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.SlotAddress;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seeds and isolation on the convolutional host in real training runs: a tiny CNN (4x4 images, blocks of 4 and 4
 * channels, a dense layer of 6) with conv seeds after its blocks; BatchNorm's running statistics are checked bit for
 * bit like the parameters.
 */
class ConvSeedKernelTest {

    private static final ModelConfig CNN = new ModelConfig(ModelConfig.CNN, List.of(6), null, null, List.of(4, 4), 2, 5);

    /** Copies every host parameter and buffer after each step (and at the end), by step. */
    static final class Recorder implements io.graft.api.Plugin {
        final List<Map<String, float[]>> afterStep = new ArrayList<>();
        Map<String, float[]> atEnd;

        @Override
        public void afterStep(StepContext step) {
            afterStep.add(host(step.model()));
        }

        @Override
        public void onRunEnd(RunContext run) {
            atEnd = host(run.model());
        }

        private static Map<String, float[]> host(ModelView model) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Parameter p : model.parameters()) {
                if (!p.name().startsWith("seed.")) {
                    out.put(p.name(), p.array().toFloatArray());
                }
            }
            // the plugins' model view is the live host
            ((Host) model).buffers().forEach((name, b) -> out.put(name, b.toFloatArray()));
            return out;
        }
    }

    private static RunResult run(double momentum, KernelListener listener, ActivePlugin... plugins) {
        return new TrainingKernel(TestData.split(2, 2), CNN, new TrainConfig(2, 16, 50, 10,
                new OptimizerConfig("sgd", 0.1, momentum)), 3, Device.cpu(), List.of(plugins),
                listener == null ? List.of() : List.of(listener)).run();
    }

    @Test
    void trainingConvSeedsLeaveTheHostAndItsStatisticsExactlyAsTheyWouldBeWithoutThem() {
        Recorder without = new Recorder();
        RunResult plain = run(0.9, null, new ActivePlugin("rec", "1", without));
        Recorder with = new Recorder();
        // after conv1 (its shadow path runs through conv2's BatchNorm) and after conv2; they train all run long
        SeedKernelTest.Once grow = new SeedKernelTest.Once(3, e -> {
            e.germinate(SlotAddress.parse("r0c0"), Blueprint.conv(3).withZeroInit(false),
                    SeedPlan.builder().trainingSteps(1_000_000).build());
            e.germinate(SlotAddress.parse("r1c1"), Blueprint.conv(2), SeedPlan.builder().trainingSteps(1_000_000).build());
        });
        RunResult seeded = run(0.9, null, new ActivePlugin("grow", "1", grow),
                new ActivePlugin("ramp", "1", new SeedKernelTest.Ramp(5)), new ActivePlugin("rec", "1", with));
        assertEquals(without.atEnd.keySet(), with.atEnd.keySet());
        for (String name : without.atEnd.keySet()) {
            assertArrayEquals(without.atEnd.get(name), with.atEnd.get(name), 0f, name + " differs: the host felt a seed");
        }
        assertEquals(plain.matrix(Protocol.CLASS_IL).toString(), seeded.matrix(Protocol.CLASS_IL).toString());
        assertEquals(plain.parameterCount() + (3 * 4 * 9 + 3 + 4 * 3 * 9 + 4) + (2 * 4 * 9 + 2 + 4 * 2 * 9 + 4),
                seeded.parameterCount());
    }

    @Test
    void seedOnlyStepsLeaveEveryHostParameterAndBatchNormBufferUnchanged() {
        Recorder rec = new Recorder();
        SeedKernelTest.Once grow = new SeedKernelTest.Once(4, e -> e.germinate(SlotAddress.parse("r1c0"),
                Blueprint.conv(3), SeedPlan.builder().trainingSteps(5).isolateHost(true).build()));
        List<SeedEvent> events = new ArrayList<>();
        List<float[]> seedWeights = new ArrayList<>();
        io.graft.api.Plugin seedWatch = new io.graft.api.Plugin() {
            @Override
            public void afterStep(StepContext step) {
                step.model().parameters().stream().filter(p -> p.name().equals("seed.r1c0.out.weight")).findFirst()
                        .ifPresent(p -> seedWeights.add(p.array().toFloatArray()));
            }
        };
        KernelListener listener = new KernelListener() {
            @Override
            public void onSeed(SeedEvent event) {
                events.add(event);
            }
        };
        RunResult r = run(0.9, listener, new ActivePlugin("grow", "1", grow),
                new ActivePlugin("ramp", "1", new SeedKernelTest.Ramp(5)), new ActivePlugin("rec", "1", rec),
                new ActivePlugin("watch", "1", seedWatch));
        // steps 4..13 (5 training, 5 blending) are seed-only: the host comes out of each exactly as it went in
        Map<String, float[]> frozen = rec.afterStep.get(3);
        assertEquals(List.of("conv1.bn.runningMean", "conv1.bn.runningVar", "conv2.bn.runningMean",
                "conv2.bn.runningVar"), frozen.keySet().stream().filter(k -> k.contains("running")).toList());
        for (int step = 4; step < 14; step++) {
            for (String name : frozen.keySet()) {
                assertArrayEquals(frozen.get(name), rec.afterStep.get(step).get(name), 0f, name + " at step " + step);
            }
        }
        assertFalse(java.util.Arrays.equals(seedWeights.get(0), seedWeights.get(9)), "the seed trained meanwhile");
        for (String name : List.of("conv1.weight", "conv1.bn.runningMean", "conv2.bn.runningVar")) {
            assertFalse(java.util.Arrays.equals(frozen.get(name), rec.afterStep.get(14).get(name)),
                    name + ": after integration the host trains again");
        }
        assertEquals(0, r.isolationViolations());
        assertEquals(10, r.isolationCheckedSteps());
        assertEquals(List.of("germinated", "training", "blending", "integrated"),
                events.stream().map(e -> e.to().key()).toList());
        assertEquals("grow", events.get(0).plugin(), "germination is reported under the policy that asked for it");
        assertEquals(4, events.get(0).step());
    }

    @Test
    void aFrozenConvLayerKeepsItsRunningStatisticsWhileTheOthersTrain() {
        Recorder rec = new Recorder();
        SeedKernelTest.Once freeze = new SeedKernelTest.Once(2, e -> e.freeze("conv1"));
        RunResult r = run(0.9, null, new ActivePlugin("freeze", "1", freeze), new ActivePlugin("rec", "1", rec));
        Map<String, float[]> atFreeze = rec.afterStep.get(1);
        for (int step = 2; step < rec.afterStep.size(); step++) {
            for (String name : List.of("conv1.weight", "conv1.bias", "conv1.bn.gamma", "conv1.bn.beta",
                    "conv1.bn.runningMean", "conv1.bn.runningVar")) {
                assertArrayEquals(atFreeze.get(name), rec.afterStep.get(step).get(name), 0f, name + " at step " + step);
            }
        }
        for (String name : List.of("conv2.weight", "conv2.bn.runningMean", "conv2.bn.runningVar", "fc1.weight")) {
            assertFalse(java.util.Arrays.equals(atFreeze.get(name), rec.atEnd.get(name)), name + " trains on");
        }
        assertEquals(0, r.isolationViolations());
        assertEquals(30, r.isolationCheckedSteps());
    }

    @Test
    void theVerifierCountsAPluginThatChangesAFrozenBatchNormBuffer() {
        SeedKernelTest.Once freeze = new SeedKernelTest.Once(2, e -> e.freeze("conv1"));
        io.graft.api.Plugin vandal = new io.graft.api.Plugin() {
            @Override
            public void afterStep(StepContext step) {
                if (step.step() >= 6 && step.step() < 9) {
                    Map<String, NDArray> buffers = ((Host) step.model()).buffers();
                    buffers.get("conv1.bn.runningVar").addi(1f);
                    // conv2 is not frozen: its statistics may change
                    buffers.get("conv2.bn.runningMean").addi(1f);
                }
            }
        };
        RunResult r = run(0.0, null, new ActivePlugin("freeze", "1", freeze), new ActivePlugin("vandal", "1", vandal));
        assertEquals(3, r.isolationViolations(), "one violation per step in which the frozen statistics were written");
        assertEquals(30, r.isolationCheckedSteps());
    }

    @Test
    void theCnnHasOneSlotColumnByDefaultAfterEveryBlockAndDenseLayer() {
        List<SlotView> grid = new ArrayList<>();
        GrowthPolicy look = new GrowthPolicy() {
            @Override
            public void check(RunContext run, StructureEditor editor) {
                grid.addAll(editor.slots());
            }

            @Override
            public void grow(TaskContext task, StructureEditor editor) {
            }
        };
        new TrainingKernel(TestData.split(1, 2), new ModelConfig(ModelConfig.CNN, List.of(6), null, null, List.of(4, 4)),
                TestData.train(1, 16, 0.1), 3, Device.cpu(), List.of(new ActivePlugin("look", "1", look),
                new ActivePlugin("never", "1", new SeedKernelTest.Once(-1, x -> { }))), List.of())
                .run();
        assertEquals(List.of("r0c0 conv1 true", "r1c0 conv2 true", "r2c0 fc1 false"), grid.stream()
                .map(s -> s.address() + " " + s.layer() + " " + s.convolutional()).toList());
    }
}
