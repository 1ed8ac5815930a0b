package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.graft.api.Plugin;
import io.graft.api.Protocol;
import io.graft.api.model.Batch;
import io.graft.api.model.TaskInfo;
import io.graft.runtime.UserException;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import io.graft.runtime.metrics.AccuracyMatrix;
import io.graft.runtime.metrics.ContinualMetrics;
import io.graft.runtime.scenario.SampleSet;
import io.graft.runtime.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code train.regime: joint}, the upper bound: every task's data at once, one evaluation. */
class JointTrainingTest {

    private static TrainConfig joint(int epochs) {
        return new TrainConfig(epochs, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.0), TrainConfig.JOINT);
    }

    @Test
    void trainsEveryTaskAtOnceAndEvaluatesOnce() {
        Scenario s = TestData.split(2, 2);
        List<String> events = new ArrayList<>();
        KernelListener listener = new KernelListener() {
            @Override public void onTaskStart(TaskInfo task) { events.add("start " + task.name()); }
            @Override public void onEvaluation(int after, Protocol p, double[] acc) { events.add("eval " + after); }
        };
        RunResult r = new TrainingKernel(s, TestData.model(16), joint(3), 1, Device.cpu(), List.of(),
                List.of(listener)).run();
        // 240 training samples of both tasks in one phase of 15 batches per epoch
        assertEquals(3 * ((240 + 15) / 16), r.steps());
        assertEquals(3L * 240, r.trainSamples());
        assertEquals(List.of("eval -1", "eval -1", "start joint: all 2 tasks", "eval 1", "eval 1"), events);
        AccuracyMatrix cil = r.matrix(Protocol.CLASS_IL);
        assertTrue(cil.joint() && cil.complete() && cil.trainedTasks() == 1, cil.toString());
        // no forgetting in one phase: both tasks are known at the end, class-IL included
        assertTrue(cil.get(0, 0) > 0.9 && cil.get(0, 1) > 0.9, cil.toString());
        ContinualMetrics m = ContinualMetrics.of(cil);
        assertEquals((cil.get(0, 0) + cil.get(0, 1)) / 2, m.averageAccuracy(), 1e-12);
        assertTrue(Double.isNaN(m.forgetting()) && Double.isNaN(m.backwardTransfer())
                && Double.isNaN(m.forwardTransfer()));
    }

    @Test
    void refusesPluginsAndUnknownRegimes() {
        Scenario s = TestData.split(2, 2);
        UserException withPlugin = assertThrows(UserException.class, () -> new TrainingKernel(s, TestData.model(4),
                joint(1), 1, Device.cpu(), List.of(new ActivePlugin("er", "1", new Plugin() {})), List.of()));
        assertEquals(UserException.BAD_CONFIG, withPlugin.exitCode());
        assertTrue(withPlugin.getMessage().startsWith("train.regime: joint trains one model on every task at once"));
        UserException typo = assertThrows(UserException.class, () -> new TrainingKernel(s, TestData.model(4),
                new TrainConfig(1, 16, 50, 10, new OptimizerConfig("sgd", 0.1, 0.0), "jiont"), 1, Device.cpu(),
                List.of(), List.of()));
        assertEquals("train.regime 'jiont' is not supported; use sequential or joint", typo.getMessage());
    }

    @Test
    void theUnionKeepsEachSamplesTaskAndLabel() {
        Scenario s = TestData.split(2, 2);
        SampleSet union = SampleSet.union(List.of(s.trainData(0), s.trainData(1)));
        assertEquals(s.trainData(0).size() + s.trainData(1).size(), union.size());
        int first = s.trainData(0).size();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Batch b = union.batch(new int[] {0, first}, m);
            assertEquals(0L, b.tasks().getLong(0));
            assertEquals(1L, b.tasks().getLong(1));
            assertEquals(s.trainData(0).label(0), b.labels().getLong(0));
            assertEquals(s.trainData(1).label(0), b.labels().getLong(1));
            assertEquals(s.trainData(1).batch(new int[] {0}, m).features().toFloatArray()[5],
                    b.features().toFloatArray()[TestData.SIDE * TestData.SIDE + 5]);
        }
    }
}
