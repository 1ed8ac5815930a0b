package io.graft.plugin.mas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryAwareSynapsesTest {

    // f(x) = W·x + b with W = [[1, 0], [0, -1], [1, 1]], b = [0, 1, -1]
    private static final float[][] W = {{1, 0}, {0, -1}, {1, 1}};
    private static final float[] B = {0, 1, -1};
    // x1 = (1, 2): f = (1, -1, 2); x2 = (-1, 0): f = (-1, 1, -2)
    private static final ArrayTaskData DATA = new ArrayTaskData(new float[][] {{1, 2}, {-1, 0}}, new long[] {0, 1}, 0);

    private NDManager root;
    private NDManager runManager;
    private MetricSink metrics;
    private LinearModelView model;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        runManager = root.newSubManager();
        metrics = mock(MetricSink.class);
        model = new LinearModelView(root.newSubManager(), W, B);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private TaskContext task(int index) {
        return Contexts.task(index, DATA, model, runManager, metrics, new Random(index));
    }

    private MemoryAwareSynapses started(double lambda, int batch) {
        MemoryAwareSynapses mas = new MemoryAwareSynapses(new MasSettings(lambda, 100, batch));
        mas.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
        return mas;
    }

    private static float[] floats(NDArray a) {
        return a.toFloatArray();
    }

    /**
     * ‖f‖² = Σ_k f_k², so ∂/∂b_k = 2·f_k and ∂/∂W_ki = 2·f_k·x_i.
     * x1: |∂b| = (2, 2, 4), |∂W| = [[2, 4], [2, 4], [4, 8]];
     * x2: |∂b| = (2, 2, 4), |∂W| = [[2, 0], [2, 0], [4, 0]].
     * The mean over the two samples: Ω_b = (2, 2, 4), Ω_W = [[2, 2], [2, 2], [4, 4]].
     */
    @Test
    void importanceIsTheMeanAbsoluteGradientOfTheSquaredOutputNorm() {
        try (NDManager out = runManager.newSubManager()) {
            Map<String, NDArray> omega = new ImportanceEstimator(100, 1).estimate(model, DATA, new Random(3), out);
            assertEquals(List.of("w", "b", "unused"), List.copyOf(omega.keySet()));
            assertArrayEquals(new float[] {2, 2, 2, 2, 4, 4}, floats(omega.get("w")), 1e-6f);
            assertEquals(new Shape(3, 2), omega.get("w").getShape());
            assertArrayEquals(new float[] {2, 2, 4}, floats(omega.get("b")), 1e-6f);
            assertArrayEquals(new float[3], floats(omega.get("unused")), 0f);
        }
    }

    /**
     * In one batch of both samples the bias gradients of x1 and x2 cancel: |mean| = 0 where the per-sample
     * mean of |·| is (2, 2, 4). The weight gradients point the same way and keep their size.
     */
    @Test
    void batchedImportanceTakesTheAbsoluteValueOfTheBatchMean() {
        try (NDManager out = runManager.newSubManager()) {
            Map<String, NDArray> omega = new ImportanceEstimator(100, 2).estimate(model, DATA, new Random(3), out);
            assertArrayEquals(new float[] {2, 2, 2, 2, 4, 4}, floats(omega.get("w")), 1e-6f);
            assertArrayEquals(new float[3], floats(omega.get("b")), 1e-6f);
        }
    }

    @Test
    void taskEndSumsTheImportanceAndAnchorsTheParameters() {
        MemoryAwareSynapses mas = started(1, 1);
        assertNull(mas.penalty(Contexts.step(0, model, runManager, metrics)), "no penalty before a task ends");
        mas.onTaskEnd(task(0));
        assertArrayEquals(new float[] {2, 2, 4}, floats(mas.importance().get("b")), 1e-6f);
        assertArrayEquals(floats(model.parameter("w").array()), floats(mas.anchor().get("w")), 0f);
        verify(metrics).record(eq("importance_max"), org.mockito.AdditionalMatchers.eq(4.0, 1e-6));
        mas.onTaskEnd(task(1));
        assertArrayEquals(new float[] {4, 4, 4, 4, 8, 8}, floats(mas.importance().get("w")), 1e-6f);
        assertArrayEquals(new float[] {4, 4, 8}, floats(mas.importance().get("b")), 1e-6f);
        assertEquals(2, mas.consolidated());
        mas.close();
    }

    @Test
    void penaltyIsLambdaTimesImportanceWeightedSquaredDistanceWithItsGradient() {
        double lambda = 0.5;
        MemoryAwareSynapses mas = started(lambda, 1);
        mas.onTaskEnd(task(0));
        // move θ away from θ*: w by [[1, 0], [0, -2], [0.5, 0]], b by [0, 0, 1]
        float[] offW = {1, 0, 0, -2, 0.5f, 0};
        float[] offB = {0, 0, 1};
        move("w", offW);
        move("b", offB);
        // Ω_W = [[2, 2], [2, 2], [4, 4]], Ω_b = (2, 2, 4): 2·1 + 2·4 + 4·0.25 + 4·1 = 15
        try (NDManager stepManager = runManager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = mas.penalty(Contexts.step(1, model, stepManager, metrics));
            assertNotNull(penalty);
            assertEquals(new Shape(), penalty.getShape());
            assertEquals(lambda * 15, penalty.getFloat(), 1e-5);
            gc.backward(penalty);
        }
        // ∂/∂θ = 2λ·Ω·(θ − θ*)
        assertArrayEquals(new float[] {2, 0, 0, -4, 2, 0}, floats(model.parameter("w").array().getGradient()), 1e-5f);
        assertArrayEquals(new float[] {0, 0, 4}, floats(model.parameter("b").array().getGradient()), 1e-5f);
        mas.close();
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        MemoryAwareSynapses mas = started(2, 1);
        mas.onTaskEnd(task(0));
        move("w", new float[] {1, 0, 0, -2, 0.5f, 0});
        mas.onTaskEnd(task(1));
        move("b", new float[] {0.5f, 0, 1});
        try (MapState state = new MapState(); NDManager stepManager = runManager.newSubManager()) {
            mas.saveState(state);
            float before = mas.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat();

            MemoryAwareSynapses resumed = started(2, 1);
            resumed.restoreState(state);
            assertRestored(mas, resumed);
            assertEquals(before, resumed.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-6f);

            MemoryAwareSynapses early = new MemoryAwareSynapses(new MasSettings(2, 100, 1));
            early.restoreState(state);
            early.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
            assertRestored(mas, early);
            assertEquals(before, early.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-6f);
            resumed.close();
            early.close();
        }
        mas.close();
    }

    private static void assertRestored(MemoryAwareSynapses expected, MemoryAwareSynapses actual) {
        assertEquals(expected.consolidated(), actual.consolidated());
        assertEquals(expected.importance().keySet(), actual.importance().keySet());
        for (String name : expected.importance().keySet()) {
            assertArrayEquals(floats(expected.importance().get(name)), floats(actual.importance().get(name)), 0f);
            assertArrayEquals(floats(expected.anchor().get(name)), floats(actual.anchor().get(name)), 0f);
        }
    }

    /** Changes a parameter in place, as an optimizer step does. */
    private void move(String name, float[] delta) {
        NDArray p = model.parameter(name).array();
        try (NDArray view = p.stopGradient(); NDArray d = runManager.create(delta, p.getShape())) {
            view.addi(d);
        }
    }
}
