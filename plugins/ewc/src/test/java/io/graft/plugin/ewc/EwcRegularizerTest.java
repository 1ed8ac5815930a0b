package io.graft.plugin.ewc;

import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EwcRegularizerTest {

    private NDManager root;
    private NDManager modelManager;
    private NDManager runManager;
    private MetricSink metrics;
    private LinearModelView model;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        modelManager = root.newSubManager();
        runManager = root.newSubManager();
        metrics = mock(MetricSink.class);
        // θ: w = [[1, -1], [1, 3]], b = [1, 5]
        model = new LinearModelView(modelManager, new float[][] {{1, -1}, {1, 3}}, new float[] {1, 5});
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private EwcRegularizer started(double lambda, boolean online, double gamma) {
        EwcRegularizer ewc = new EwcRegularizer(new EwcSettings(lambda, online, gamma, 64, 1));
        ewc.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
        return ewc;
    }

    /** A consolidation over w (2x2) and b (2) in the plugin's state manager. */
    private Consolidation consolidation(EwcRegularizer ewc, int task, float[] fw, float[] fb, float[] aw, float[] ab) {
        NDManager m = ewc.stateManager();
        Map<String, NDArray> f = new LinkedHashMap<>();
        Map<String, NDArray> a = new LinkedHashMap<>();
        f.put("w", m.create(fw, new Shape(2, 2)));
        f.put("b", m.create(fb));
        a.put("w", m.create(aw, new Shape(2, 2)));
        a.put("b", m.create(ab));
        return new Consolidation(task, f, a);
    }

    private static float[] floats(NDArray a) {
        return a.toFloatArray();
    }

    @Test
    void penaltyIsHalfLambdaTimesFisherWeightedSquaredDistance() {
        EwcRegularizer ewc = started(2.0, false, 1.0);
        // F_w = [[1, 2], [0, 0.5]], θ*_w = [[0, 0], [1, 1]]: 1·1 + 2·1 + 0·0 + 0.5·4 = 5
        // F_b = [3, 0],             θ*_b = [0, 0]:           3·1 + 0·25            = 3
        ewc.consolidate(consolidation(ewc, 0, new float[] {1, 2, 0, 0.5f}, new float[] {3, 0},
                new float[] {0, 0, 1, 1}, new float[] {0, 0}));
        try (NDManager stepManager = runManager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = ewc.penalty(Contexts.step(1, model, stepManager, metrics));
            assertNotNull(penalty);
            assertEquals(new Shape(), penalty.getShape());
            assertEquals(2.0 / 2 * (5 + 3), penalty.getFloat(), 1e-5);
            gc.backward(penalty);
        }
        // ∂/∂θ = λ·F·(θ − θ*)
        assertArrayEquals(new float[] {2 * 1 * 1, 2 * 2 * -1, 0, 2 * 0.5f * 2},
                floats(model.parameter("w").array().getGradient()), 1e-5f);
        assertArrayEquals(new float[] {2 * 3 * 1, 0}, floats(model.parameter("b").array().getGradient()), 1e-5f);
    }

    @Test
    void perTaskPenaltySumsEveryTasksFisherAndAnchor() {
        double lambda = 7.5;
        EwcRegularizer ewc = started(lambda, false, 1.0);
        Random r = new Random(42);
        float[][] fw = new float[3][];
        float[][] fb = new float[3][];
        float[][] aw = new float[3][];
        float[][] ab = new float[3][];
        for (int k = 0; k < 3; k++) {
            fw[k] = positive(r, 4);
            fb[k] = positive(r, 2);
            aw[k] = gaussian(r, 4);
            ab[k] = gaussian(r, 2);
            ewc.consolidate(consolidation(ewc, k, fw[k], fb[k], aw[k], ab[k]));
        }
        assertEquals(3, ewc.consolidations().size());
        float[] w = floats(model.parameter("w").array());
        float[] b = floats(model.parameter("b").array());
        double expected = 0;
        float[] gw = new float[4];
        float[] gb = new float[2];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 4; i++) {
                expected += fw[k][i] * Math.pow(w[i] - aw[k][i], 2);
                gw[i] += (float) (lambda * fw[k][i] * (w[i] - aw[k][i]));
            }
            for (int i = 0; i < 2; i++) {
                expected += fb[k][i] * Math.pow(b[i] - ab[k][i], 2);
                gb[i] += (float) (lambda * fb[k][i] * (b[i] - ab[k][i]));
            }
        }
        expected *= lambda / 2;
        try (NDManager stepManager = runManager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = ewc.penalty(Contexts.step(1, model, stepManager, metrics));
            assertEquals(expected, penalty.getFloat(), 1e-4 * expected);
            gc.backward(penalty);
        }
        assertArrayEquals(gw, floats(model.parameter("w").array().getGradient()), 1e-3f);
        assertArrayEquals(gb, floats(model.parameter("b").array().getGradient()), 1e-3f);
    }

    @Test
    void onlineModeKeepsOneDecayedFisherAnchoredAtTheLatestParameters() {
        EwcRegularizer ewc = started(4.0, true, 0.5);
        ewc.consolidate(consolidation(ewc, 0, new float[] {1, 1, 1, 1}, new float[] {2, 2},
                new float[] {9, 9, 9, 9}, new float[] {9, 9}));
        ewc.consolidate(consolidation(ewc, 1, new float[] {0, 1, 2, 3}, new float[] {1, 0},
                new float[] {1, 0, 1, 0}, new float[] {0, 5}));
        assertEquals(1, ewc.consolidations().size());
        Consolidation only = ewc.consolidations().get(0);
        assertEquals(1, only.task());
        // F = 0.5·F_1 + F_2, θ* = θ*_2
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, floats(only.fisher().get("w")), 1e-6f);
        assertArrayEquals(new float[] {2, 1}, floats(only.fisher().get("b")), 1e-6f);
        assertArrayEquals(new float[] {1, 0, 1, 0}, floats(only.anchor().get("w")), 0f);
        // θ − θ* : w = [0, -1, 0, 3], b = [1, 0]
        double expected = 4.0 / 2 * (0.5 * 0 + 1.5 * 1 + 2.5 * 0 + 3.5 * 9 + 2 * 1 + 1 * 0);
        try (NDManager stepManager = runManager.newSubManager()) {
            assertEquals(expected, ewc.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-4);
        }
    }

    @Test
    void taskEndEstimatesTheFisherAndAnchorsTheCurrentParameters() {
        EwcRegularizer perTask = started(100, false, 1.0);
        EwcRegularizer online = started(100, true, 0.9);
        ArrayTaskData data = ArrayTaskData.repeated(new float[] {0.5f, -1f}, 200);
        for (int t = 0; t < 2; t++) {
            TaskContext task = Contexts.task(t, data, model, runManager, metrics, new Random(t));
            perTask.onTaskEnd(task);
            online.onTaskEnd(task);
        }
        assertEquals(2, perTask.consolidations().size());
        assertEquals(1, online.consolidations().size());
        for (Consolidation c : perTask.consolidations()) {
            assertArrayEquals(floats(model.parameter("w").array()), floats(c.anchor().get("w")), 0f);
            assertArrayEquals(new float[3], floats(c.fisher().get("unused")), 0f);
            for (float f : floats(c.fisher().get("w"))) {
                assertTrue(f >= 0);
            }
            assertTrue(c.fisher().get("b").sum().getFloat() > 0);
        }
        verify(metrics, org.mockito.Mockito.times(4)).record(eq("fisher_mean"), anyDouble());
        // the model has not moved since: no penalty, but a gradient path
        try (NDManager stepManager = runManager.newSubManager()) {
            assertEquals(0f, perTask.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-6f);
            assertEquals(0f, online.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-6f);
        }
        // anchors are copies, not views of the live parameters
        assertTrue(perTask.consolidations().get(0).anchor().get("w") != model.parameter("w").array());
    }

    @Test
    void noPenaltyBeforeTheFirstTaskEndsOrWithLambdaZero() {
        try (NDManager stepManager = runManager.newSubManager()) {
            assertNull(started(5000, false, 1).penalty(Contexts.step(0, model, stepManager, metrics)));
            EwcRegularizer off = started(0, false, 1);
            off.consolidate(consolidation(off, 0, new float[4], new float[2], new float[4], new float[2]));
            assertNull(off.penalty(Contexts.step(0, model, stepManager, metrics)));
        }
    }

    @Test
    void penaltyTemporariesLiveInTheStepManager() {
        EwcRegularizer ewc = started(1, false, 1);
        Random r = new Random(1);
        for (int k = 0; k < 2; k++) {
            ewc.consolidate(consolidation(ewc, k, positive(r, 4), positive(r, 2), gaussian(r, 4), gaussian(r, 2)));
        }
        int modelArrays = modelManager.getManagedArrays().size();
        int runArrays = runManager.getManagedArrays().size();
        NDManager stepManager = runManager.newSubManager();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = ewc.penalty(Contexts.step(50, model, stepManager, metrics));
            gc.backward(penalty);
        }
        assertTrue(stepManager.getManagedArrays().size() > 0);
        stepManager.close();
        assertEquals(modelArrays, modelManager.getManagedArrays().size(), "nothing lands in the model's manager");
        assertEquals(runArrays, runManager.getManagedArrays().size(), "nothing lands in the run's manager");
    }

    @Test
    void penaltyIsRecordedEveryFiftySteps() {
        EwcRegularizer ewc = started(2, false, 1);
        ewc.consolidate(consolidation(ewc, 0, new float[] {1, 1, 1, 1}, new float[] {1, 1},
                new float[4], new float[2]));
        try (NDManager stepManager = runManager.newSubManager()) {
            ewc.penalty(Contexts.step(1, model, stepManager, metrics));
            verify(metrics, never()).record(anyString(), anyDouble());
            ewc.penalty(Contexts.step(100, model, stepManager, metrics));
        }
        // Σ θ² = 1 + 1 + 1 + 9 + 1 + 25 = 38
        verify(metrics).record(eq("penalty"), org.mockito.AdditionalMatchers.eq(38.0, 1e-4));
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        EwcRegularizer ewc = started(3, false, 1);
        Random r = new Random(9);
        for (int k = 0; k < 2; k++) {
            ewc.consolidate(consolidation(ewc, k, positive(r, 4), positive(r, 2), gaussian(r, 4), gaussian(r, 2)));
        }
        try (MapState state = new MapState(); NDManager stepManager = runManager.newSubManager()) {
            ewc.saveState(state);
            float before = ewc.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat();

            EwcRegularizer resumed = started(3, false, 1);
            resumed.restoreState(state);
            assertRestored(ewc, resumed);
            assertEquals(before, resumed.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-5f);

            // restored before the run starts: held aside, then handed to the run manager
            EwcRegularizer early = new EwcRegularizer(new EwcSettings(3, false, 1, 64, 1));
            early.restoreState(state);
            early.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
            assertRestored(ewc, early);
            assertEquals(before, early.penalty(Contexts.step(1, model, stepManager, metrics)).getFloat(), 1e-5f);

            // an online configuration folds per-task state into one running Fisher
            EwcRegularizer folded = started(3, true, 0.5);
            folded.restoreState(state);
            assertEquals(1, folded.consolidations().size());
            float[] f1 = floats(ewc.consolidations().get(0).fisher().get("w"));
            float[] f2 = floats(ewc.consolidations().get(1).fisher().get("w"));
            float[] merged = floats(folded.consolidations().get(0).fisher().get("w"));
            for (int i = 0; i < 4; i++) {
                assertEquals(0.5f * f1[i] + f2[i], merged[i], 1e-6f);
            }
            resumed.close();
            early.close();
            folded.close();
        }
        ewc.close();
    }

    private static void assertRestored(EwcRegularizer expected, EwcRegularizer actual) {
        assertEquals(expected.consolidations().size(), actual.consolidations().size());
        for (int k = 0; k < expected.consolidations().size(); k++) {
            Consolidation e = expected.consolidations().get(k);
            Consolidation a = actual.consolidations().get(k);
            assertEquals(e.task(), a.task());
            assertEquals(e.anchor().keySet(), a.anchor().keySet());
            for (String name : e.anchor().keySet()) {
                assertArrayEquals(floats(e.fisher().get(name)), floats(a.fisher().get(name)), 0f);
                assertArrayEquals(floats(e.anchor().get(name)), floats(a.anchor().get(name)), 0f);
            }
        }
    }

    private static float[] positive(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2;
        }
        return v;
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
