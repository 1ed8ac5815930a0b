package io.graft.plugin.gem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import ai.djl.ndarray.NDManager;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientEpisodicMemoryTest {

    private static final float[][] W = {{0.5f, -1}, {0.2f, 0.3f}, {-0.4f, 0.8f}};
    private static final float[] B = {0.1f, 0, -0.2f};
    private static final float[][] XA = {{1, 2}, {-1, 0.5f}};
    private static final long[] YA = {0, 1};
    private static final float[][] XB = {{0, -1}, {2, 1}};
    private static final long[] YB = {2, 1};
    private static final ArrayTaskData TASK_A = new ArrayTaskData(XA, YA, 0);
    private static final ArrayTaskData TASK_B = new ArrayTaskData(XB, YB, 1);
    private static final ArrayTaskData TASK_C = new ArrayTaskData(new float[][] {{3, 3}}, new long[] {2}, 2);

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

    private GradientEpisodicMemory started(int memoryPerTask, double margin) {
        GradientEpisodicMemory gem = new GradientEpisodicMemory(new GemSettings(memoryPerTask, margin));
        gem.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
        return gem;
    }

    private TaskContext task(int index, ArrayTaskData data) {
        return Contexts.task(index, data, model, runManager, metrics, new Random(index));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private void transform(GradientEpisodicMemory gem, long index) {
        try (NDManager stepManager = runManager.newSubManager()) {
            gem.transform(Contexts.step(index, model, stepManager, metrics));
        }
    }

    @Test
    void doesNothingBeforeAnyTaskIsRemembered() {
        GradientEpisodicMemory gem = started(10, 0.5);
        gem.onTaskStart(task(0, TASK_A));
        double[] g = {1, -2, 3, 0.5, 0, 1, -1, 2, 0.25, 0, 0, 0};
        model.setFlatGradients(g);
        transform(gem, 0);
        assertArrayEquals(g, model.flatGradients(), 1e-7);
        assertNull(gem.lastOutcome());
        gem.close();
    }

    @Test
    void projectsAgainstEveryEarlierTaskAndWritesTheResultBackInPlace() {
        GradientEpisodicMemory gem = started(10, 0);
        gem.onTaskEnd(task(0, TASK_A));
        gem.onTaskEnd(task(1, TASK_B));
        assertEquals(List.of(2, 2), gem.memory().slices().stream().map(EpisodicMemory.Slice::rows).toList());
        verify(metrics).record(eq("memory_size"), org.mockito.AdditionalMatchers.eq(4.0, 0));
        gem.onTaskStart(task(2, TASK_C));
        double[] ga = model.crossEntropyGradient(XA, YA);
        double[] gb = model.crossEntropyGradient(XB, YB);

        // against task A's memory, a little along task B's, and a part that touches neither
        double[] g = new double[12];
        for (int i = 0; i < 9; i++) {
            g[i] = -2 * ga[i] + 0.1 * gb[i] + (i == 0 ? 0.3 : 0);
        }
        g[10] = 1; // the unused parameter: no memory gradient there, so it must stay as it is
        double[][] rows = {ga, gb};
        double[][] p = {{dot(ga, ga), dot(ga, gb)}, {dot(gb, ga), dot(gb, gb)}};
        double[] q = {dot(ga, g), dot(gb, g)};
        assertTrue(q[0] < 0);
        DualQp.Solution expected = DualQp.solve(p, q, 0);
        model.setFlatGradients(g);
        transform(gem, 1);
        GradientEpisodicMemory.Outcome o = gem.lastOutcome();
        assertTrue(o.projected());
        assertArrayEquals(q, o.dots(), 1e-5);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(p[i], o.gram()[i], 1e-5);
        }
        assertArrayEquals(expected.v(), o.v(), 1e-4);
        assertEquals(expected.activeCount(), o.active());
        double[] after = model.flatGradients();
        for (int i = 0; i < 12; i++) {
            double want = g[i] + expected.v()[0] * rows[0][i] + expected.v()[1] * rows[1][i];
            assertEquals(want, after[i], 1e-5, "g̃[" + i + "]");
        }
        assertEquals(1, after[10], 0, "a parameter without memory gradients is untouched");
        for (double[] r : rows) {
            assertTrue(dot(after, r) >= -1e-5, "g̃·g_k = " + dot(after, r));
        }

        // along every memory: left exactly as it is
        double[] along = new double[12];
        for (int i = 0; i < 9; i++) {
            along[i] = ga[i] + gb[i];
        }
        model.setFlatGradients(along);
        transform(gem, 2);
        assertFalse(gem.lastOutcome().projected());
        double[] same = model.flatGradients();
        for (int i = 0; i < 12; i++) {
            assertEquals((float) along[i], same[i], 0, "g[" + i + "] unchanged");
        }
        assertArrayEquals(new long[] {2, 1}, gem.counts());
        gem.onTaskEnd(task(2, TASK_C));
        verify(metrics).record(eq("projections"), org.mockito.AdditionalMatchers.eq(1.0, 0));
        verify(metrics).record(eq("projection_rate"), org.mockito.AdditionalMatchers.eq(0.5, 1e-12));
        verify(metrics).record(eq("active_constraints"),
                org.mockito.AdditionalMatchers.eq((double) expected.activeCount(), 0));
        gem.close();
    }

    /**
     * One earlier task and margin 0: the exact GEM projection reduces to A-GEM's,
     * {@code g̃ = g − (g·g_a / g_a·g_a)·g_a}, computed here by hand.
     */
    @Test
    void withOneTaskAndNoMarginItIsTheSingleConstraintProjection() {
        GradientEpisodicMemory gem = started(10, 0);
        gem.onTaskEnd(task(0, TASK_A));
        gem.onTaskStart(task(1, TASK_B));
        double[] ga = model.crossEntropyGradient(XA, YA);
        double[] g = {1, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < 9; i++) {
            g[i] -= 3 * ga[i];
        }
        double gr = dot(g, ga);
        double rr = dot(ga, ga);
        model.setFlatGradients(g);
        transform(gem, 0);
        assertEquals(1, gem.lastOutcome().active());
        double[] after = model.flatGradients();
        for (int i = 0; i < 12; i++) {
            assertEquals(g[i] - gr / rr * ga[i], after[i], 1e-5, "g̃[" + i + "]");
        }
        assertEquals(0, dot(after, ga), 1e-5);
        gem.close();
    }

    @Test
    void eachTaskKeepsItsOwnRandomSampleOfTheConfiguredSize() {
        GradientEpisodicMemory gem = started(1, 0.5);
        gem.onTaskEnd(task(0, TASK_A));
        gem.onTaskEnd(task(1, TASK_B));
        List<EpisodicMemory.Slice> slices = gem.memory().slices();
        assertEquals(List.of(1, 1), slices.stream().map(EpisodicMemory.Slice::rows).toList());
        assertEquals(List.of(0L, 1L), slices.stream().map(EpisodicMemory.Slice::task).toList());
        long label = slices.get(1).labels()[0];
        assertTrue(label == 2 || label == 1);
        gem.close();
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        GradientEpisodicMemory gem = started(2, 0.5);
        gem.onTaskEnd(task(0, TASK_A));
        gem.onTaskEnd(task(1, TASK_B));
        double[] g = {1, -1, 0.5, 2, -0.5, 1, 0.3, -0.2, 0.1, 0, 0, 0};
        for (int i = 0; i < 9; i++) {
            g[i] -= 2 * model.crossEntropyGradient(XB, YB)[i];
        }
        model.setFlatGradients(g);
        transform(gem, 0);
        assertTrue(gem.lastOutcome().projected());
        double[] expected = model.flatGradients();
        try (MapState state = new MapState()) {
            gem.saveState(state);
            GradientEpisodicMemory resumed = new GradientEpisodicMemory(new GemSettings(2, 0.5));
            resumed.restoreState(state); // before the run starts: the memory is on the host
            resumed.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
            assertEquals(gem.memory().slices().size(), resumed.memory().slices().size());
            for (int i = 0; i < gem.memory().slices().size(); i++) {
                EpisodicMemory.Slice a = gem.memory().slices().get(i);
                EpisodicMemory.Slice b = resumed.memory().slices().get(i);
                assertEquals(a.task(), b.task());
                assertArrayEquals(a.features(), b.features(), 0f);
                assertArrayEquals(a.labels(), b.labels());
            }
            model.setFlatGradients(g);
            transform(resumed, 0);
            assertArrayEquals(expected, model.flatGradients(), 1e-6);
            resumed.close();

            GradientEpisodicMemory empty = started(2, 0.5);
            try (MapState blank = new MapState()) {
                empty.saveState(blank);
                GradientEpisodicMemory other = started(2, 0.5);
                other.restoreState(blank);
                assertEquals(0, other.memory().size());
                other.close();
            }
            empty.close();
        }
        gem.close();
    }
}
