package io.graft.plugin.si;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.train.MetricSink;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SynapticIntelligenceTest {

    private static final double XI = 0.1;

    // θ₀: w = [[1, -1], [1, 3]], b = [1, 5]
    private static final float[] W0 = {1, -1, 1, 3};
    private static final float[] B0 = {1, 5};
    // step 1: recorded gradient and the change the "optimizer" makes (deliberately not −lr·g)
    private static final float[] G1W = {0.5f, -1, 2, 0};
    private static final float[] G1B = {1, -2};
    private static final float[] D1W = {-0.1f, 0.2f, -0.1f, 0.3f};
    private static final float[] D1B = {-0.2f, 0.1f};
    // step 2
    private static final float[] G2W = {0.5f, 1, -1, 1};
    private static final float[] G2B = {0.5f, 0};
    private static final float[] D2W = {-0.1f, -0.1f, 0.2f, 0.1f};
    private static final float[] D2B = {0.1f, 0.4f};

    private NDManager root;
    private NDManager runManager;
    private NDManager modelManager;
    private MetricSink metrics;
    private LinearModelView model;
    private TaskContext task0;
    private TaskContext task1;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        modelManager = root.newSubManager();
        runManager = root.newSubManager();
        metrics = mock(MetricSink.class);
        model = new LinearModelView(modelManager, new float[][] {{1, -1}, {1, 3}}, B0.clone());
        ArrayTaskData data = ArrayTaskData.repeated(new float[] {1, 1}, 4);
        task0 = Contexts.task(0, data, model, runManager, metrics, new Random(1));
        task1 = Contexts.task(1, data, model, runManager, metrics, new Random(2));
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private SynapticIntelligence started(double c, boolean clamp) {
        SynapticIntelligence si = new SynapticIntelligence(new SiSettings(c, XI, clamp));
        si.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
        return si;
    }

    /** One training step as the kernel runs it: gradients filled, transform, the update, afterStep. */
    private void step(SynapticIntelligence si, long index, float[] gw, float[] gb, float[] dw, float[] db) {
        try (NDManager stepManager = runManager.newSubManager()) {
            StepContext step = Contexts.step(index, model, stepManager, metrics);
            model.setGradients(Map.of("w", gw, "b", gb));
            si.transform(step);
            assertArrayEquals(gw, floats(model.parameter("w").gradient()), 0f, "transform only observes");
            assertArrayEquals(gb, floats(model.parameter("b").gradient()), 0f, "transform only observes");
            move("w", dw);
            move("b", db);
            si.afterStep(step);
        }
    }

    /** Changes a parameter in place, as an optimizer step does. */
    private void move(String name, float[] delta) {
        NDArray p = model.parameter(name).array();
        try (NDArray view = p.stopGradient(); NDArray d = modelManager.create(delta, p.getShape())) {
            view.addi(d);
        }
    }

    private static float[] floats(NDArray a) {
        return a.toFloatArray();
    }

    private static float[] expectedPath(float[] g1, float[] d1, float[] g2, float[] d2) {
        float[] w = new float[g1.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = -(g1[i] * d1[i] + g2[i] * d2[i]);
        }
        return w;
    }

    private static float[] expectedImportance(float[] path, float[] d1, float[] d2, boolean clamp) {
        float[] omega = new float[path.length];
        for (int i = 0; i < path.length; i++) {
            double moved = d1[i] + d2[i];
            double v = path[i] / (moved * moved + XI);
            omega[i] = (float) (clamp ? Math.max(0, v) : v);
        }
        return omega;
    }

    @Test
    void pathIntegralAccumulatesMinusGradientTimesUpdate() {
        SynapticIntelligence si = started(1, true);
        si.onTaskStart(task0);
        step(si, 0, G1W, G1B, D1W, D1B);
        step(si, 1, G2W, G2B, D2W, D2B);
        // w: −(0.5·−0.1 + 0.5·−0.1) = 0.1, −(−1·0.2 + 1·−0.1) = 0.3, −(2·−0.1 + −1·0.2) = 0.4, −(0 + 1·0.1) = −0.1
        assertArrayEquals(new float[] {0.1f, 0.3f, 0.4f, -0.1f}, floats(si.pathIntegral().get("w")), 1e-6f);
        assertArrayEquals(expectedPath(G1B, D1B, G2B, D2B), floats(si.pathIntegral().get("b")), 1e-6f);
        assertArrayEquals(new float[3], floats(si.pathIntegral().get("unused")), 0f);
        assertNull(si.penalty(Contexts.step(2, model, runManager, metrics)), "no penalty before the first task ends");
        si.close();
    }

    @Test
    void taskEndTurnsThePathIntoDampedImportanceAndAnchors() {
        for (boolean clamp : new boolean[] {true, false}) {
            SynapticIntelligence si = started(1, clamp);
            resetModel();
            si.onTaskStart(task0);
            step(si, 0, G1W, G1B, D1W, D1B);
            step(si, 1, G2W, G2B, D2W, D2B);
            si.onTaskEnd(task0);

            float[] pathW = expectedPath(G1W, D1W, G2W, D2W);
            float[] pathB = expectedPath(G1B, D1B, G2B, D2B);
            // w[0]: ω = 0.1, Δ = −0.2: 0.1 / (0.04 + 0.1) = 0.714...; w[3]: ω = −0.1 < 0, clamped to 0
            float[] omegaW = expectedImportance(pathW, D1W, D2W, clamp);
            assertEquals(0.1 / 0.14, omegaW[0], 1e-6);
            assertArrayEquals(omegaW, floats(si.importance().get("w")), 1e-5f);
            assertArrayEquals(expectedImportance(pathB, D1B, D2B, clamp), floats(si.importance().get("b")), 1e-5f);
            assertArrayEquals(floats(model.parameter("w").array()), floats(si.anchor().get("w")), 0f);
            assertArrayEquals(floats(model.parameter("b").array()), floats(si.anchor().get("b")), 0f);
            assertArrayEquals(new float[4], floats(si.pathIntegral().get("w")), 0f, "ω is reset");
            assertEquals(1, si.consolidated());
            si.close();
        }
        // one of the nine weights (w[3]) had a negative path: ω = −0.1
        verify(metrics).record(eq("negative_share"), org.mockito.AdditionalMatchers.eq(1.0 / 9, 1e-9));
    }

    @Test
    void importanceAddsUpOverTasks() {
        SynapticIntelligence si = started(0, true); // no penalty: the path sees the raw gradient
        si.onTaskStart(task0);
        step(si, 0, G1W, G1B, D1W, D1B);
        si.onTaskEnd(task0);
        float[] first = floats(si.importance().get("w"));
        si.onTaskStart(task1);
        step(si, 1, G2W, G2B, D2W, D2B);
        si.onTaskEnd(task1);
        float[] second = expectedImportance(expectedPath(G2W, D2W, new float[4], new float[4]), D2W, new float[4], true);
        float[] total = floats(si.importance().get("w"));
        for (int i = 0; i < 4; i++) {
            assertEquals(first[i] + second[i], total[i], 1e-5f);
        }
        si.close();
    }

    @Test
    void penaltyIsCTimesImportanceWeightedSquaredDistanceWithItsGradient() {
        double c = 3;
        SynapticIntelligence si = started(c, true);
        si.onTaskStart(task0);
        step(si, 0, G1W, G1B, D1W, D1B);
        step(si, 1, G2W, G2B, D2W, D2B);
        si.onTaskEnd(task0);
        float[] omegaW = floats(si.importance().get("w"));
        float[] omegaB = floats(si.importance().get("b"));
        float[] offW = {0.5f, -1, 0, 2};
        float[] offB = {-1, 0.25f};
        move("w", offW);
        move("b", offB);
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += omegaW[i] * offW[i] * offW[i];
        }
        for (int i = 0; i < 2; i++) {
            expected += omegaB[i] * offB[i] * offB[i];
        }
        expected *= c;
        clearGradients();
        try (NDManager stepManager = runManager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = si.penalty(Contexts.step(1, model, stepManager, metrics));
            assertNotNull(penalty);
            assertEquals(new Shape(), penalty.getShape());
            assertEquals(expected, penalty.getFloat(), 1e-5);
            gc.backward(penalty);
        }
        float[] gw = floats(model.parameter("w").array().getGradient());
        float[] gb = floats(model.parameter("b").array().getGradient());
        for (int i = 0; i < 4; i++) {
            assertEquals(2 * c * omegaW[i] * offW[i], gw[i], 1e-5, "∂/∂w[" + i + "] = 2c·Ω·(θ−θ*)");
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(2 * c * omegaB[i] * offB[i], gb[i], 1e-5, "∂/∂b[" + i + "]");
        }
        si.close();
    }

    @Test
    void thePathUsesTheTaskLossGradientWithoutThePluginsOwnPenalty() {
        double c = 2;
        SynapticIntelligence si = started(c, true);
        si.onTaskStart(task0);
        step(si, 0, G1W, G1B, D1W, D1B);
        step(si, 1, G2W, G2B, D2W, D2B);
        si.onTaskEnd(task0);
        float[] omegaW = floats(si.importance().get("w"));
        float[] omegaB = floats(si.importance().get("b"));
        si.onTaskStart(task1);
        float[] offW = {0.5f, -1, 0, 2};
        float[] offB = {-1, 0.25f};
        move("w", offW);
        move("b", offB);
        // the kernel's gradient is the task loss's (G1) plus the penalty's 2c·Ω·(θ − θ*)
        float[] totalW = new float[4];
        float[] totalB = new float[2];
        for (int i = 0; i < 4; i++) {
            totalW[i] = G1W[i] + (float) (2 * c * omegaW[i] * offW[i]);
        }
        for (int i = 0; i < 2; i++) {
            totalB[i] = G1B[i] + (float) (2 * c * omegaB[i] * offB[i]);
        }
        // the path of task 1 starts after the move, so that it sees only the step's change
        si.onTaskStart(task1);
        step(si, 2, totalW, totalB, D1W, D1B);
        assertArrayEquals(expectedPath(G1W, D1W, new float[4], new float[4]), floats(si.pathIntegral().get("w")), 1e-5f);
        assertArrayEquals(expectedPath(G1B, D1B, new float[2], new float[2]), floats(si.pathIntegral().get("b")), 1e-5f);
        si.close();
    }

    @Test
    void perStepWorkLeavesNoArraysBehind() {
        SynapticIntelligence si = started(1, true);
        si.onTaskStart(task0);
        step(si, 0, G1W, G1B, D1W, D1B);
        si.onTaskEnd(task0);
        si.onTaskStart(task1);
        step(si, 1, G1W, G1B, D1W, D1B);
        int runArrays = runManager.getManagedArrays().size();
        int modelArrays = modelManager.getManagedArrays().size();
        for (int k = 2; k < 6; k++) {
            step(si, k, G2W, G2B, D2W, D2B);
            try (NDManager stepManager = runManager.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(si.penalty(Contexts.step(k, model, stepManager, metrics)));
            }
        }
        assertEquals(runArrays, runManager.getManagedArrays().size(), "nothing piles up in the run's manager");
        // LinearModelView.setGradients and getGradient leave wrappers in the model manager; count only ours
        assertTrue(modelManager.getManagedArrays().size() - modelArrays <= 4 * 3 * 4,
                "only the test double's gradient wrappers are new in the model's manager");
        si.close();
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        SynapticIntelligence si = started(1.5, true);
        si.onTaskStart(task0);
        step(si, 0, G1W, G1B, D1W, D1B);
        step(si, 1, G2W, G2B, D2W, D2B);
        si.onTaskEnd(task0);
        si.onTaskStart(task1);
        step(si, 2, G2W, G2B, D1W, D1B); // a task in progress: ω and the start are part of the state
        try (MapState state = new MapState(); NDManager stepManager = runManager.newSubManager()) {
            si.saveState(state);
            float before = si.penalty(Contexts.step(3, model, stepManager, metrics)).getFloat();

            SynapticIntelligence resumed = started(1.5, true);
            resumed.restoreState(state);
            assertRestored(si, resumed);
            assertEquals(before, resumed.penalty(Contexts.step(3, model, stepManager, metrics)).getFloat(), 1e-6f);

            // restored before the run starts: held aside, then handed to the run manager
            SynapticIntelligence early = new SynapticIntelligence(new SiSettings(1.5, XI, true));
            early.restoreState(state);
            early.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
            assertRestored(si, early);
            assertEquals(before, early.penalty(Contexts.step(3, model, stepManager, metrics)).getFloat(), 1e-6f);

            // both continue the task in progress exactly as the original does
            step(si, 3, G1W, G1B, D2W, D2B);
            move("w", neg(D2W));
            move("b", neg(D2B));
            step(resumed, 3, G1W, G1B, D2W, D2B);
            si.onTaskEnd(task1);
            resumed.onTaskEnd(task1);
            assertArrayEquals(floats(si.importance().get("w")), floats(resumed.importance().get("w")), 1e-6f);
            assertArrayEquals(floats(si.importance().get("b")), floats(resumed.importance().get("b")), 1e-6f);
            resumed.close();
            early.close();
        }
        si.close();
    }

    private static float[] neg(float[] v) {
        float[] n = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            n[i] = -v[i];
        }
        return n;
    }

    private static void assertRestored(SynapticIntelligence expected, SynapticIntelligence actual) {
        assertEquals(expected.consolidated(), actual.consolidated());
        for (String name : new String[] {"w", "b", "unused"}) {
            assertArrayEquals(floats(expected.importance().get(name)), floats(actual.importance().get(name)), 0f);
            assertArrayEquals(floats(expected.anchor().get(name)), floats(actual.anchor().get(name)), 0f);
            assertArrayEquals(floats(expected.pathIntegral().get(name)), floats(actual.pathIntegral().get(name)), 0f);
        }
    }

    private void resetModel() {
        for (String name : new String[] {"w", "b"}) {
            NDArray p = model.parameter(name).array();
            float[] target = name.equals("w") ? W0 : B0;
            float[] now = floats(p);
            float[] d = new float[now.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = target[i] - now[i];
            }
            move(name, d);
        }
    }

    private void clearGradients() {
        model.setGradients(Map.of());
    }
}
