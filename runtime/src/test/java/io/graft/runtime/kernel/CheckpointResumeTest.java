package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.graft.api.Protocol;
import io.graft.runtime.checkpoint.CheckpointFolder;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped at a step and resumed from its last checkpoint ends exactly like one never stopped. */
class CheckpointResumeTest {

    @TempDir
    Path tmp;

    /** Stops the run (as a crash would) when a step is reached. */
    static final class CrashAt implements KernelListener {
        final long step;

        CrashAt(long step) {
            this.step = step;
        }

        @Override
        public void onStep(StepReport report) {
            if (report.step() == step) {
                throw new IllegalStateException("crash at step " + step);
            }
        }
    }

    private static TrainConfig train(int every) {
        return new TrainConfig(2, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.9), null, true, every);
    }

    private RunResult run(ModelConfig model, int every, Supplier<List<ActivePlugin>> plugins, Path dir,
                          KernelListener listener, Path resume) {
        TrainingKernel k = new TrainingKernel(TestData.split(3, 1), model, train(every), 5, Device.cpu(), plugins.get(),
                listener == null ? List.of() : List.of(listener));
        return k.checkpointing(dir == null ? null : new CheckpointFolder(dir), resume).run();
    }

    private void assertResumesExactly(ModelConfig model, int every, long crashAt, Supplier<List<ActivePlugin>> plugins) {
        RunResult straight = run(model, every, plugins, null, null, null);
        Path dir = tmp.resolve("run-" + every + "-" + crashAt);
        assertThrows(IllegalStateException.class, () -> run(model, every, plugins, dir, new CrashAt(crashAt), null));
        Path checkpoint = new CheckpointFolder(dir).latest().orElseThrow();
        RunResult resumed = run(model, every, plugins, dir, null, checkpoint);
        for (Protocol p : straight.accuracy().keySet()) {
            assertEquals(straight.matrix(p).toString(), resumed.matrix(p).toString(), p.key() + ", crash at " + crashAt);
        }
        assertEquals(straight.steps(), resumed.steps());
        assertEquals(straight.parameterCount(), resumed.parameterCount());
    }

    @Test
    void resumingAtATaskBoundaryOrInsideATaskGivesTheUninterruptedNumbers() {
        ModelConfig model = TestData.model(8, 6);
        // 3 tasks x 2 epochs x 4 batches = 24 steps; a boundary checkpoint after 8 and 16 steps
        assertResumesExactly(model, 0, 19, List::of);
        // and one every 5 steps: the crash at step 13 resumes from step 10, inside task 1's second epoch
        assertResumesExactly(model, 5, 13, List::of);
    }

    @Test
    void grownNetworksAndSeedsComeBackWithTheirShapeAndState() {
        ModelConfig model = new ModelConfig("mlp", List.of(6, 5), null, null, null, 2, 3);
        Supplier<List<ActivePlugin>> plugins = () -> List.of(
                new ActivePlugin("grow", "1", new SeedKernelTest.Once(3, e -> {
                    e.widen("fc1", 9, 0.1);
                    e.germinate(io.graft.api.model.SlotAddress.parse("r1c0"), io.graft.api.growth.Blueprint.residual(3),
                            io.graft.api.growth.SeedPlan.builder().trainingSteps(4).build());
                    e.freeze("fc1");
                })),
                new ActivePlugin("ramp", "1", new SeedKernelTest.Ramp(6)));
        assertResumesExactly(model, 5, 12, plugins);
        assertResumesExactly(model, 0, 20, plugins);
    }

    @Test
    void withoutACheckpointFolderNothingIsWrittenAndAMissingCheckpointIsAClearError() {
        RunResult r = run(TestData.model(4), 0, List::of, null, null, null);
        assertTrue(r.steps() > 0);
        assertTrue(new CheckpointFolder(tmp).latest().isEmpty());
    }
}
