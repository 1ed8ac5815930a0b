package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.graft.api.Protocol;
import io.graft.api.growth.BlendSchedule;
import io.graft.api.growth.Blueprint;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.SeedPlan;
import io.graft.api.growth.StructureEditor;
import io.graft.api.model.Parameter;
import io.graft.api.model.SlotAddress;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Seeds in a real training run: gradient isolation, the verifier, blending and the refusals before training. */
class SeedKernelTest {

    private static final ModelConfig MODEL = new ModelConfig("mlp", List.of(6, 5), null, null, null, 2, 5);

    /** Fires once, after {@code at} steps, and then does what it is told with the editor. */
    static final class Once implements TriggerCondition, GrowthPolicy {
        final long at;
        final Consumer<StructureEditor> action;

        Once(long at, Consumer<StructureEditor> action) {
            this.at = at;
            this.action = action;
        }

        @Override
        public boolean fires(TrainingSignals signals) {
            return !signals.taskBoundary() && signals.step() == at;
        }

        @Override
        public void grow(TaskContext task, StructureEditor editor) {
            action.accept(editor);
        }
    }

    /** Alpha linearly to 1 over {@code steps}. */
    record Ramp(long steps) implements BlendSchedule {
        @Override
        public double alpha(long s) {
            return Math.min(1.0, (double) s / steps);
        }

        @Override
        public boolean finished(long s) {
            return s >= steps;
        }
    }

    /** Copies every host parameter after each step (and at the end), by step. */
    static final class Recorder implements io.graft.api.Plugin {
        final List<Map<String, float[]>> afterStep = new ArrayList<>();
        Map<String, float[]> atEnd;

        @Override
        public void afterStep(StepContext step) {
            afterStep.add(host(step.model().parameters()));
        }

        @Override
        public void onRunEnd(RunContext run) {
            atEnd = host(run.model().parameters());
        }

        private static Map<String, float[]> host(List<Parameter> parameters) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Parameter p : parameters) {
                if (!p.name().startsWith("seed.")) {
                    out.put(p.name(), p.array().toFloatArray());
                }
            }
            return out;
        }
    }

    private static TrainConfig train(double momentum) {
        return new TrainConfig(2, 16, 50, 10, new OptimizerConfig("sgd", 0.1, momentum));
    }

    private static RunResult run(double momentum, KernelListener listener, ActivePlugin... plugins) {
        return new TrainingKernel(TestData.split(2, 2), MODEL, train(momentum), 3, Device.cpu(), List.of(plugins),
                listener == null ? List.of() : List.of(listener)).run();
    }

    @Test
    void aTrainingSeedLeavesTheHostExactlyAsItWouldBeWithoutIt() {
        Recorder without = new Recorder();
        RunResult plain = run(0.9, null, new ActivePlugin("rec", "1", without));
        Recorder with = new Recorder();
        // germinated after 3 steps; it trains on its shadow path for the rest of the run and never blends
        Once grow = new Once(3, e -> e.germinate(SlotAddress.parse("r1c0"), Blueprint.residual(4),
                SeedPlan.builder().trainingSteps(1_000_000).build()));
        RunResult seeded = run(0.9, null, new ActivePlugin("grow", "1", grow), new ActivePlugin("ramp", "1", new Ramp(5)),
                new ActivePlugin("rec", "1", with));
        for (String name : without.atEnd.keySet()) {
            assertArrayEquals(without.atEnd.get(name), with.atEnd.get(name), 0f, name + " differs: the host felt the seed");
        }
        assertEquals(plain.matrix(Protocol.CLASS_IL).toString(), seeded.matrix(Protocol.CLASS_IL).toString());
        assertEquals(plain.parameterCount() + 5 * 4 + 4 + 4 * 5 + 5, seeded.parameterCount());
    }

    @Test
    void seedOnlyStepsLeaveEveryHostParameterAndItsMomentumUnchanged() {
        Recorder rec = new Recorder();
        Once grow = new Once(4, e -> e.germinate(SlotAddress.parse("r0c1"), Blueprint.residual(3),
                SeedPlan.builder().trainingSteps(5).isolateHost(true).build()));
        List<SeedEvent> events = new ArrayList<>();
        KernelListener listener = new KernelListener() {
            @Override
            public void onSeed(SeedEvent event) {
                events.add(event);
            }
        };
        RunResult r = run(0.9, listener, new ActivePlugin("grow", "1", grow), new ActivePlugin("ramp", "1", new Ramp(5)),
                new ActivePlugin("rec", "1", rec));
        // steps 4..13 (5 training, 5 blending) are seed-only: the host comes out of each exactly as it went in
        Map<String, float[]> frozen = rec.afterStep.get(3);
        for (int step = 4; step < 14; step++) {
            for (String name : frozen.keySet()) {
                assertArrayEquals(frozen.get(name), rec.afterStep.get(step).get(name), 0f, name + " at step " + step);
            }
        }
        assertFalse(java.util.Arrays.equals(frozen.get("fc1.weight"), rec.afterStep.get(14).get("fc1.weight")),
                "after integration the host trains again (with the momentum it had before)");
        assertEquals(0, r.isolationViolations());
        assertEquals(10, r.isolationCheckedSteps());
        assertEquals(List.of("germinated", "training", "blending", "integrated"),
                events.stream().map(e -> e.to().key()).toList());
        assertEquals(4, events.get(2).step() - 5, "blending begins after the seed's 5 training steps");
    }

    @Test
    void aFrozenLayerDoesNotPileUpGradientsForTheStepItIsUnfrozen() {
        List<Float> gradients = new ArrayList<>();
        Once freeze = new Once(2, e -> e.freeze("fc1"));
        io.graft.api.Plugin watch = new io.graft.api.Plugin() {
            @Override
            public void afterStep(StepContext step) {
                ai.djl.ndarray.NDArray g = step.model().parameter("fc1.weight").array().getGradient();
                gradients.add(g == null ? 0f : g.abs().sum().getFloat());
            }
        };
        run(0.0, null, new ActivePlugin("freeze", "1", freeze), new ActivePlugin("watch", "1", watch));
        for (int step = 2; step < gradients.size(); step++) {
            assertEquals(0f, gradients.get(step), "fc1's gradient after step " + step + " while frozen");
        }
    }

    @Test
    void theVerifierCountsAPluginThatChangesAFrozenLayer() {
        Once freeze = new Once(2, e -> e.freeze("fc1"));
        io.graft.api.Plugin vandal = new io.graft.api.Plugin() {
            @Override
            public void afterStep(StepContext step) {
                if (step.step() >= 6 && step.step() < 9) {
                    step.model().parameter("fc1.bias").array().addi(1f);
                }
            }
        };
        RunResult r = run(0.0, null, new ActivePlugin("freeze", "1", freeze), new ActivePlugin("vandal", "1", vandal));
        assertEquals(3, r.isolationViolations(), "one violation per step in which the frozen layer was written");
        // every step from the freeze on is checked: 2 tasks x 2 epochs x 8 batches = 32 steps, frozen from step 2
        assertEquals(30, r.isolationCheckedSteps());
    }

    @Test
    void alphaIsReportedAtEveryBlendingStepAndAnAlphaOutsideTheUnitIntervalStopsTheRun() {
        List<Double> alphas = new ArrayList<>();
        KernelListener listener = new KernelListener() {
            @Override
            public void onAlpha(long step, String slot, double alpha) {
                alphas.add(alpha);
            }
        };
        Once grow = new Once(1, e -> e.germinate(SlotAddress.parse("r0c0"), Blueprint.linear(),
                SeedPlan.builder().trainingSteps(2).build()));
        run(0.0, listener, new ActivePlugin("grow", "1", grow), new ActivePlugin("ramp", "1", new Ramp(4)));
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75), alphas);

        BlendSchedule bad = new BlendSchedule() {
            @Override
            public double alpha(long s) {
                return 1.5;
            }

            @Override
            public boolean finished(long s) {
                return false;
            }
        };
        Once again = new Once(1, e -> e.germinate(SlotAddress.parse("r0c0"), Blueprint.linear(),
                SeedPlan.builder().build()));
        PluginFailure f = assertThrows(PluginFailure.class, () -> run(0.0, null, new ActivePlugin("grow", "1", again),
                new ActivePlugin("wild", "1", bad)));
        assertTrue(f.getMessage().contains("plugin 'wild' failed in alpha"), f.getMessage());
        assertTrue(f.getMessage().contains("alpha 1.5 at blend step 0 is outside [0, 1]"), f.getMessage());
    }

    @Test
    void aPolicyWhoseSettingsDoNotFitTheNetworkIsRefusedBeforeTraining() {
        List<Long> steps = new ArrayList<>();
        GrowthPolicy misplaced = new GrowthPolicy() {
            @Override
            public void check(RunContext run, StructureEditor editor) {
                throw new IllegalArgumentException("slot r7c0 is outside the grid");
            }

            @Override
            public void grow(TaskContext task, StructureEditor editor) {
            }
        };
        KernelListener listener = new KernelListener() {
            @Override
            public void onStep(StepReport step) {
                steps.add(step.step());
            }
        };
        UserException e = assertThrows(UserException.class, () -> run(0.0, listener,
                new ActivePlugin("seeds", "1", misplaced), new ActivePlugin("t", "1", new Once(1, x -> { }))));
        assertEquals("plugin 'seeds': slot r7c0 is outside the grid", e.getMessage());
        assertEquals(UserException.BAD_CONFIG, e.exitCode());
        assertTrue(steps.isEmpty(), "refused before the first step");
    }
}
