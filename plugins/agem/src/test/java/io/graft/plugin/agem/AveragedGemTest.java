package io.graft.plugin.agem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AveragedGemTest {

    private static final float[][] W = {{0.5f, -1}, {0.2f, 0.3f}, {-0.4f, 0.8f}};
    private static final float[] B = {0.1f, 0, -0.2f};
    private static final float[][] X0 = {{1, 2}, {-1, 0.5f}, {0, -1}, {2, 1}};
    private static final long[] Y0 = {0, 1, 2, 1};
    private static final ArrayTaskData TASK0 = new ArrayTaskData(X0, Y0, 0);
    private static final ArrayTaskData TASK1 = new ArrayTaskData(new float[][] {{3, 3}}, new long[] {2}, 1);

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

    private AveragedGem started(int memorySize, int sampleSize) {
        AveragedGem agem = new AveragedGem(new AgemSettings(memorySize, sampleSize));
        agem.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
        return agem;
    }

    /** The hand-computed reference gradient over some rows of the first task's samples. */
    private double[] rowsGradient(int... rows) {
        float[][] x = new float[rows.length][];
        long[] y = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            x[i] = X0[rows[i]];
            y[i] = Y0[rows[i]];
        }
        return model.crossEntropyGradient(x, y);
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

    private void transform(AveragedGem agem, long index) {
        try (NDManager stepManager = runManager.newSubManager()) {
            agem.transform(Contexts.step(index, model, stepManager, metrics));
        }
    }

    @Test
    void doesNothingBeforeAnyTaskIsRemembered() {
        AveragedGem agem = started(10, 256);
        agem.onTaskStart(task(0, TASK0));
        double[] g = {1, -2, 3, 0.5, 0, 1, -1, 2, 0.25, 0, 0, 0};
        model.setFlatGradients(g);
        transform(agem, 0);
        assertArrayEquals(g, model.flatGradients(), 1e-7);
        assertNull(agem.lastOutcome());
        agem.close();
    }

    @Test
    void projectsTheStepGradientWhenItOpposesTheMemoryGradient() {
        AveragedGem agem = started(10, 256);
        agem.onTaskStart(task(0, TASK0));
        agem.onTaskEnd(task(0, TASK0));
        assertEquals(4, agem.memory().size());
        verify(metrics).record(eq("memory_size"), org.mockito.AdditionalMatchers.eq(4.0, 0));
        agem.onTaskStart(task(1, TASK1));
        double[] ref = rowsGradient(0, 1, 2, 3);
        double rr = dot(ref, ref);

        // against the memory: g = −g_ref + a part orthogonal to nothing in particular
        double[] g = {1, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < 9; i++) {
            g[i] -= 3 * ref[i];
        }
        double gr = dot(g, ref);
        assertTrue(gr < 0);
        model.setFlatGradients(g);
        transform(agem, 1);
        Projection.Outcome o = agem.lastOutcome();
        assertTrue(o.projected());
        assertEquals(gr, o.dot(), 1e-5);
        assertEquals(rr, o.referenceNorm(), 1e-5);
        double[] projected = model.flatGradients();
        for (int i = 0; i < 12; i++) {
            assertEquals(g[i] - gr / rr * ref[i], projected[i], 1e-5, "g[" + i + "]");
        }
        assertTrue(dot(projected, ref) >= -1e-6, "g_new·g_ref = " + dot(projected, ref));

        // along the memory: left exactly as it is
        double[] along = new double[12];
        for (int i = 0; i < 9; i++) {
            along[i] = ref[i] + (i == 0 ? 0.1 : 0);
        }
        model.setFlatGradients(along);
        transform(agem, 2);
        assertFalse(agem.lastOutcome().projected());
        double[] after = model.flatGradients();
        for (int i = 0; i < 12; i++) {
            assertEquals((float) along[i], after[i], 0, "g[" + i + "] unchanged");
        }
        assertArrayEquals(new long[] {2, 1}, agem.counts());
        agem.onTaskEnd(task(1, TASK1));
        verify(metrics).record(eq("projections"), org.mockito.AdditionalMatchers.eq(1.0, 0));
        verify(metrics).record(eq("projection_rate"), org.mockito.AdditionalMatchers.eq(0.5, 1e-12));
        agem.close();
    }

    @Test
    void theReferenceBatchIsADrawOfDistinctMemorySamples() {
        AveragedGem agem = started(4, 2);
        agem.onTaskEnd(task(0, TASK0));
        agem.onTaskStart(task(1, TASK1));
        List<double[]> candidates = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                candidates.add(rowsGradient(a, b));
            }
        }
        double[] g = {1, -1, 0.5, 2, -0.5, 1, 0.3, -0.2, 0.1, 0, 0, 0};
        int[] hits = new int[candidates.size()];
        for (int step = 0; step < 30; step++) {
            model.setFlatGradients(g);
            transform(agem, step);
            Projection.Outcome o = agem.lastOutcome();
            int found = -1;
            for (int c = 0; c < candidates.size(); c++) {
                double[] r = candidates.get(c);
                if (Math.abs(dot(g, r) - o.dot()) < 1e-5 && Math.abs(dot(r, r) - o.referenceNorm()) < 1e-5) {
                    found = c;
                }
            }
            assertTrue(found >= 0, "the reference gradient is that of two distinct memory samples");
            hits[found]++;
        }
        long distinct = java.util.Arrays.stream(hits).filter(h -> h > 0).count();
        assertTrue(distinct >= 3, "draws vary from step to step: " + java.util.Arrays.toString(hits));
        agem.close();
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        AveragedGem agem = started(6, 256);
        agem.onTaskEnd(task(0, TASK0));
        agem.onTaskEnd(task(1, TASK1));
        assertEquals(List.of(3, 1), agem.memory().slices().stream().map(EpisodicMemory.Slice::rows).toList());
        double[] g = {1, -1, 0.5, 2, -0.5, 1, 0.3, -0.2, 0.1, 0, 0, 0};
        model.setFlatGradients(g);
        transform(agem, 0);
        double[] expected = model.flatGradients();
        try (MapState state = new MapState()) {
            agem.saveState(state);
            AveragedGem resumed = new AveragedGem(new AgemSettings(6, 256));
            resumed.restoreState(state); // before the run starts: the memory is on the host
            resumed.onRunStart(Contexts.run(model, runManager, metrics, new Random(1)));
            assertEquals(agem.memory().slices().size(), resumed.memory().slices().size());
            for (int i = 0; i < agem.memory().slices().size(); i++) {
                EpisodicMemory.Slice a = agem.memory().slices().get(i);
                EpisodicMemory.Slice b = resumed.memory().slices().get(i);
                assertEquals(a.task(), b.task());
                assertArrayEquals(a.features(), b.features(), 0f);
                assertArrayEquals(a.labels(), b.labels());
            }
            model.setFlatGradients(g);
            transform(resumed, 0);
            assertArrayEquals(expected, model.flatGradients(), 1e-6);
            resumed.close();

            AveragedGem empty = started(6, 256);
            try (MapState blank = new MapState()) {
                empty.saveState(blank);
                AveragedGem other = started(6, 256);
                other.restoreState(blank);
                assertEquals(0, other.memory().size());
                other.close();
            }
            empty.close();
        }
        agem.close();
    }
}
