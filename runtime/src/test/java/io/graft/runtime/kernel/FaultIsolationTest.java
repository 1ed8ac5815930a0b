package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.graft.api.Protocol;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.StepContext;
import io.graft.runtime.UserException;
import io.graft.runtime.checkpoint.CheckpointFolder;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing plugin stops the run naming it, or, by policy, is quarantined and the run goes on from its last checkpoint. */
class FaultIsolationTest {

    @TempDir
    Path tmp;

    /** Throws in its gradient transform at one step. */
    static final class ThrowsAt implements GradientTransform {
        final long at;

        ThrowsAt(long at) {
            this.at = at;
        }

        @Override
        public void transform(StepContext step) {
            if (step.step() == at) {
                throw new IllegalStateException("boom");
            }
        }
    }

    /** Puts a NaN into a gradient at one step. */
    static final class PoisonsAt implements GradientTransform {
        final long at;

        PoisonsAt(long at) {
            this.at = at;
        }

        @Override
        public void transform(StepContext step) {
            if (step.step() == at) {
                step.model().parameter("fc1.weight").gradient().set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
            }
        }
    }

    /** Adds an infinite penalty at one step. */
    static final class InfiniteAt implements Regularizer {
        final long at;

        InfiniteAt(long at) {
            this.at = at;
        }

        @Override
        public NDArray penalty(StepContext step) {
            return step.step() == at ? step.stepManager().create(Float.POSITIVE_INFINITY) : null;
        }
    }

    private RunResult run(String policy, io.graft.api.Plugin plugin, List<String> quarantined, Path dir) {
        TrainConfig train = new TrainConfig(2, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.0), null, true, 0, policy,
                null);
        KernelListener listener = new KernelListener() {
            @Override
            public void onQuarantine(String pluginId, String reason, long resumedAt) {
                quarantined.add(pluginId + "@" + resumedAt + ": " + reason);
            }
        };
        return new TrainingKernel(TestData.split(3, 1), TestData.model(8), train, 5, Device.cpu(),
                List.of(new ActivePlugin("faulty", "1", plugin)), List.of(listener))
                .checkpointing(new CheckpointFolder(dir), null).run();
    }

    @Test
    void aPluginThatThrowsStopsTheRunNamingItOrIsQuarantined() {
        List<String> quarantined = new ArrayList<>();
        PluginFailure stop = assertThrows(PluginFailure.class,
                () -> run("stop", new ThrowsAt(13), quarantined, tmp.resolve("stop")));
        assertTrue(stop.getMessage().startsWith("plugin 'faulty' failed in transform at task 1, step 13"),
                stop.getMessage());
        RunResult r = run("quarantine", new ThrowsAt(13), quarantined, tmp.resolve("quarantine"));
        // 8 steps a task: the failure in task 1 goes back to the checkpoint after task 0
        assertEquals(List.of("faulty@8: plugin 'faulty' failed in transform at task 1, step 13: boom; metrics so far are"
                + " kept"), quarantined);
        assertEquals(3, r.matrix(Protocol.CLASS_IL).rows().length, "every task trained and evaluated");
        assertEquals(24, r.steps());
        RunResult clean = new TrainingKernel(TestData.split(3, 1), TestData.model(8), new TrainConfig(2, 16, 50, 10,
                new OptimizerConfig("sgd", 0.1, 0.0)), 5, Device.cpu(), List.of(), List.of()).run();
        assertEquals(clean.matrix(Protocol.CLASS_IL).toString(), r.matrix(Protocol.CLASS_IL).toString(),
                "a plugin that did nothing until it failed leaves the run it would have been without it");
    }

    @Test
    void nonFiniteGradientsAndLossesAreFailuresOfThePluginThatMadeThem() {
        List<String> quarantined = new ArrayList<>();
        PluginFailure nan = assertThrows(PluginFailure.class,
                () -> run("stop", new PoisonsAt(3), quarantined, tmp.resolve("nan")));
        assertTrue(nan.getMessage().startsWith("plugin 'faulty' failed in transform at task 0, step 4: the weights are NaN"
                + " or infinite after the last update, whose gradient this transform left"), nan.getMessage());
        RunResult r = run("quarantine", new InfiniteAt(20), quarantined, tmp.resolve("inf"));
        assertEquals(1, quarantined.size());
        assertTrue(quarantined.get(0).startsWith("faulty@16: plugin 'faulty' failed in penalty at task 2, step 20"),
                quarantined.toString());
        assertEquals(3, r.matrix(Protocol.CLASS_IL).rows().length);
    }

    @Test
    void unknownPoliciesAndNegativeTimeoutsAreRefused() {
        UserException e = assertThrows(UserException.class, () -> new TrainingKernel(TestData.split(1, 2),
                TestData.model(4), new TrainConfig(1, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.0), null, true, 0,
                "ignore", null), 1, Device.cpu(), List.of(), List.of()));
        assertEquals("train.pluginFailure 'ignore' is not supported; use stop or quarantine", e.getMessage());
    }
}
