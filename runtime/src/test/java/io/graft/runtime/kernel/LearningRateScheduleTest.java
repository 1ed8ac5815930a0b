package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.Parameter;
import io.graft.api.train.StepContext;
import io.graft.runtime.UserException;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learning-rate schedule: the factor on SGD's step, and the cosine decay over each task. */
class LearningRateScheduleTest {

    @Test
    void theFactorScalesTheStep() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Sgd sgd = new Sgd(0.1, 0.0, m);
            NDArray w = m.create(new float[] {1f, 1f});
            sgd.scale(0.5);
            sgd.update("w", w, m.create(new float[] {1f, -2f}));
            assertArrayEquals(new float[] {0.95f, 1.1f}, w.toFloatArray(), 1e-7f);
        }
    }

    @Test
    void cosineDecaysEachTasksStepsToZeroAndUnknownSchedulesAreRefused() {
        List<Double> moves = new ArrayList<>();
        io.graft.api.Plugin watch = new io.graft.api.Plugin() {
            float[] before;

            @Override
            public void afterStep(StepContext step) {
                Parameter b = step.model().parameter("out.bias");
                float[] now = b.array().toFloatArray();
                if (before != null && step.stepInTask() > 0) {
                    double d = 0;
                    for (int i = 0; i < now.length; i++) {
                        d += Math.abs(now[i] - before[i]);
                    }
                    moves.add(d);
                }
                before = now;
            }
        };
        TrainConfig cosine = new TrainConfig(1, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.0, "cosine"));
        new TrainingKernel(TestData.split(1, 2), TestData.model(4), cosine, 1, Device.cpu(),
                List.of(new ActivePlugin("watch", "1", watch)), List.of()).run();
        // 120 samples / 16 = 8 steps: the last step's factor is (1 + cos(7π/8)) / 2 ≈ 0.038
        assertTrue(moves.get(moves.size() - 1) < 0.2 * moves.get(0), moves.toString());
        TrainConfig bad = new TrainConfig(1, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.0, "cyclic"));
        UserException e = assertThrows(UserException.class, () -> new TrainingKernel(TestData.split(1, 2),
                TestData.model(4), bad, 1, Device.cpu(), List.of(), List.of()));
        assertEquals("train.optimizer.schedule 'cyclic' is not supported; use constant or cosine", e.getMessage());
    }
}
