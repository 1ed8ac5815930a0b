package io.graft.plugin.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.graft.api.masking.MaskQuery;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.MapState;
import io.graft.plugin.testkit.MaskedMlp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HardAttentionTest {

    private static final HatSettings SETTINGS = new HatSettings(400, 50, 0.75, 0.03, 6, HeadClipping.ROWS);
    private static final int[] FIRST = {0, 1};
    private static final int[] SECOND = {2, 3};

    private NDManager manager;
    private MaskedMlp model;
    private MetricSink metrics;
    private HardAttention hat;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = new MaskedMlp(manager, 3, new int[] {2, 2}, 4, 7);
        metrics = mock(MetricSink.class);
        hat = new HardAttention(SETTINGS, new HatClipping(HeadClipping.ROWS));
    }

    @AfterEach
    void tearDown() {
        hat.close();
        manager.close();
    }

    private TaskContext task(int index, int[] classes) {
        return Contexts.task(new TaskInfo(index, "task " + index, classes), null, model, manager, metrics, new Random(7));
    }

    private StepContext step(int index, int[] classes, long stepInTask, long taskSteps, NDManager stepManager) {
        return Contexts.step(stepInTask, new TaskInfo(index, "task " + index, classes), stepInTask, taskSteps, model,
                manager, stepManager, metrics);
    }

    /** Trains nothing but ends task 0 with fc1 unit 0 and fc2 unit 1 gated on. */
    private void finishFirstTask(HardAttention plugin) {
        plugin.onRunStart(task(0, FIRST));
        plugin.onTaskStart(task(0, FIRST));
        plugin.embeddings().get(0, "fc1").set(new float[] {3f, -3f});
        plugin.embeddings().get(0, "fc2").set(new float[] {-3f, 3f});
        plugin.onTaskEnd(task(0, FIRST));
    }

    private MaskQuery query(int task, boolean training, long stepInTask, long taskSteps, NDManager m) {
        return new MaskedMlp.Query(new TaskInfo(task, "task " + task, task == 0 ? FIRST : SECOND), training,
                stepInTask, taskSteps, m);
    }

    @Test
    void unitsFullyUsedByEarlierTasksGetNoGradient() {
        finishFirstTask(hat);
        hat.onTaskStart(task(1, SECOND));
        model.onesGradients();
        try (NDManager sm = manager.newSubManager()) {
            hat.transform(step(1, SECOND, 0, 10, sm));
        }
        // fc1: row of unit 0 frozen (input side has no gate)
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, model.gradient("fc1.weight"));
        assertArrayEquals(new float[] {0, 1}, model.gradient("fc1.bias"));
        // fc2: 1 − min(a2_i, a1_j) with a2 = [0, 1], a1 = [1, 0]
        assertArrayEquals(new float[] {1, 1, 0, 1}, model.gradient("fc2.weight"));
        assertArrayEquals(new float[] {1, 0}, model.gradient("fc2.bias"));
        // head: the rows of task 0's classes
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, model.gradient("out.weight"));
        assertArrayEquals(new float[] {0, 0, 1, 1}, model.gradient("out.bias"));
    }

    @Test
    void theFirstTaskIsNotClipped() {
        hat.onRunStart(task(0, FIRST));
        hat.onTaskStart(task(0, FIRST));
        model.onesGradients();
        try (NDManager sm = manager.newSubManager()) {
            hat.transform(step(0, FIRST, 9, 10, sm));
        }
        assertArrayEquals(new float[] {1, 1, 1, 1}, model.gradient("fc2.weight"));
        assertEquals(1.0, hat.capacity(), 1e-12);
    }

    @Test
    void unitsMaskTheHeadColumnsOfUsedUnitsToo() {
        HardAttention units = new HardAttention(SETTINGS, new HatClipping(HeadClipping.UNITS));
        try {
            finishFirstTask(units);
            units.onTaskStart(task(1, SECOND));
            model.onesGradients();
            try (NDManager sm = manager.newSubManager()) {
                units.transform(step(1, SECOND, 0, 10, sm));
            }
            // fc2 unit 1 is used: column 1 of the head frozen as well as rows 0 and 1
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 1, 0}, model.gradient("out.weight"));
        } finally {
            units.close();
        }
    }

    @Test
    void trainingGatesFollowTheScheduleAndEvaluationGatesAreBinary() {
        hat.onRunStart(task(0, FIRST));
        try (NDManager pass = manager.newSubManager()) {
            // evaluation before the task's training: no gate yet
            assertNull(hat.unitMask("fc1", 2, query(0, false, -1, -1, pass)));
        }
        hat.onTaskStart(task(0, FIRST));
        hat.embeddings().get(0, "fc1").set(new float[] {2f, -1f});
        try (NDManager sm = manager.newSubManager()) {
            // b = 1: s = 1/s_max
            NDArray gate = hat.unitMask("fc1", 2, query(0, true, 0, 5, sm));
            double s = 1.0 / 400;
            assertArrayEquals(new float[] {(float) (1 / (1 + Math.exp(-2 * s))), (float) (1 / (1 + Math.exp(s)))},
                    gate.toFloatArray(), 1e-6f);
            // the penalty reuses that gate: (σ(2s) + σ(−s)) / 4 free units of the first task
            StepContext step = step(0, FIRST, 0, 5, sm);
            NDArray penalty = hat.penalty(step);
            assertNotNull(penalty);
            assertEquals(0.75 * (gate.sum().getFloat()) / 4, penalty.getFloat(), 1e-6);
            verify(metrics).record("penalty", penalty.getFloat());
        }
        try (NDManager pass = manager.newSubManager()) {
            assertArrayEquals(new float[] {1, 0}, hat.unitMask("fc1", 2, query(0, false, -1, -1, pass)).toFloatArray());
        }
        hat.onTaskEnd(task(0, FIRST));
        try (NDManager pass = manager.newSubManager()) {
            NDArray kept = hat.unitMask("fc1", 2, query(0, false, -1, -1, pass));
            assertSame(hat.history().mask(0, "fc1"), kept);
        }
        verify(metrics).record("used_fc1", 0.5);
    }

    @Test
    void aTasksForwardPassDoesNotDependOnTheUnitsItsGatesClosed() {
        finishFirstTask(hat);
        float[][] x = {{1, 2, 3}, {-1, 0.5f, 2}, {0.3f, -2, 1}};
        TaskInfo first = new TaskInfo(0, "task 0", FIRST);
        float[] before;
        float[] unmaskedBefore;
        try (NDManager pass = manager.newSubManager()) {
            before = model.logits(x, hat, MaskedMlp.Query.evaluation(first, pass));
            unmaskedBefore = model.logits(x, null, MaskedMlp.Query.evaluation(first, pass));
        }
        // task 0 closed fc1 unit 1 and fc2 unit 0: their incoming weights and biases do not reach its logits
        model.parameter("fc1.weight").array().set(new NDIndex(1), 5f);
        model.parameter("fc1.bias").array().set(new NDIndex(1), 5f);
        model.parameter("fc2.bias").array().set(new NDIndex(0), 5f);
        try (NDManager pass = manager.newSubManager()) {
            assertArrayEquals(before, model.logits(x, hat, MaskedMlp.Query.evaluation(first, pass)));
            assertFalse(Arrays.equals(unmaskedBefore, model.logits(x, null,
                    MaskedMlp.Query.evaluation(first, pass))), "without the gates the change shows");
        }
    }

    @Test
    void stateRoundTripsEmbeddingsMasksAndEarlierClasses() {
        finishFirstTask(hat);
        float[] embedding = hat.embeddings().get(0, "fc2").toFloatArray();
        HardAttention restored = new HardAttention(SETTINGS, new HatClipping(HeadClipping.ROWS));
        try (MapState state = new MapState()) {
            hat.saveState(state);
            restored.restoreState(state);
            restored.onRunStart(task(1, SECOND));
            assertArrayEquals(embedding, restored.embeddings().get(0, "fc2").toFloatArray());
            assertArrayEquals(new float[] {1, 0}, restored.history().mask(0, "fc1").toFloatArray());
            assertArrayEquals(new float[] {0, 1}, restored.history().cumulative("fc2"));
            assertEquals(1, restored.history().finishedTasks());
            restored.onTaskStart(task(1, SECOND));
            model.onesGradients();
            try (NDManager sm = manager.newSubManager()) {
                restored.transform(step(1, SECOND, 0, 10, sm));
            }
            assertArrayEquals(new float[] {1, 1, 0, 1}, model.gradient("fc2.weight"));
            assertArrayEquals(new float[] {0, 0, 1, 1}, model.gradient("out.bias"));
        } finally {
            restored.close();
        }
    }
}
