package io.graft.plugin.genreplay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.Batch;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
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

class GenerativeReplayTest {

    /** Three tasks of two classes each; samples are (1, 2, 3) images, six values in [0, 1]. */
    private static final List<TaskInfo> TASKS = List.of(new TaskInfo(0, "classes 0,1", new int[] {0, 1}),
            new TaskInfo(1, "classes 2,3", new int[] {2, 3}), new TaskInfo(2, "classes 4,5", new int[] {4, 5}));
    private static final Shape SAMPLE = new Shape(1, 2, 3);
    private static final int BATCH = 8;

    private NDManager root;
    private NDManager modelManager;
    private NDManager runManager;
    private MetricSink metrics;
    private FlatModel model;
    private Random data;
    private long stepIndex;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        modelManager = root.newSubManager();
        runManager = root.newSubManager();
        metrics = mock(MetricSink.class);
        data = new Random(0);
        // classes 4 and 5 would win every argmax if the labeller did not keep to earlier classes
        model = new FlatModel(new LinearModelView(modelManager, weights(new Random(9)),
                new float[] {0, 0, 0, 0, 100, 100}));
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private static float[][] weights(Random random) {
        float[][] w = new float[6][6];
        for (float[] row : w) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian() * 4;
            }
        }
        return w;
    }

    private GenerativeReplay started(GenreplaySettings settings, long seed) {
        GenerativeReplay plugin = new GenerativeReplay(settings);
        plugin.onRunStart(run(seed));
        return plugin;
    }

    private static GenreplaySettings settings(int generatorSteps) {
        return new GenreplaySettings(2, 16, 0.01, BATCH, generatorSteps, true);
    }

    private RunContext run(long seed) {
        RunContext run = Contexts.run(model, runManager, metrics, new Random(seed));
        when(run.tasks()).thenReturn(TASKS);
        return run;
    }

    private TaskContext task(int index) {
        TaskContext task = Contexts.task(index, ArrayTaskData.repeated(new float[6], 1), model, runManager, metrics,
                new Random(-1));
        when(task.task()).thenReturn(TASKS.get(index));
        when(task.tasks()).thenReturn(TASKS);
        return task;
    }

    /** A step whose incoming batch holds samples of {@code task}: its first class bright on the left, the other on the right. */
    private StepContext step(NDManager sm, int task) {
        StepContext step = Contexts.step(stepIndex++, model, sm, metrics);
        float[] x = new float[BATCH * 6];
        long[] y = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            boolean left = i % 2 == 0;
            for (int j = 0; j < 6; j++) {
                boolean on = left == (j < 3);
                x[i * 6 + j] = on ? 0.8f + 0.2f * data.nextFloat() : 0.2f * data.nextFloat();
            }
            y[i] = 2L * task + (left ? 0 : 1);
        }
        Batch batch = new Batch(sm.create(x, new Shape(BATCH).addAll(SAMPLE)), sm.create(y),
                sm.full(new Shape(BATCH), task, DataType.INT64));
        when(step.batch()).thenReturn(batch);
        when(step.tasks()).thenReturn(TASKS);
        return step;
    }

    /** Runs {@code steps} kernel steps of a task: replay, then (after the optimizer) afterStep. */
    private void train(GenerativeReplay plugin, int task, int steps) {
        for (int i = 0; i < steps; i++) {
            try (NDManager sm = root.newSubManager()) {
                StepContext step = step(sm, task);
                Batch replayed = plugin.replay(step);
                if (task == 0) {
                    assertNull(replayed, "nothing to replay during the first task");
                }
                plugin.afterStep(step);
            }
        }
    }

    /** The argmax over {@code allowed} of x·Wᵀ + b, in doubles. */
    private static long expectedLabel(float[] x, int row, float[] w, float[] b, int[] allowed) {
        long best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c : allowed) {
            double z = b[c];
            for (int i = 0; i < 6; i++) {
                z += w[c * 6 + i] * x[row * 6 + i];
            }
            if (z > bestScore) {
                bestScore = z;
                best = c;
            }
        }
        return best;
    }

    private void overwrite(float[][] w, float[] b) {
        try (NDManager scratch = modelManager.newSubManager()) {
            NDArray wv = model.parameter("w").array().stopGradient();
            NDArray bv = model.parameter("b").array().stopGradient();
            wv.attach(scratch);
            bv.attach(scratch);
            wv.muli(0).addi(scratch.create(w));
            bv.muli(0).addi(scratch.create(b));
        }
    }

    @Test
    void nothingIsReplayedBeforeTheSecondTaskButTheGeneratorTrainsFromTheFirstStep() {
        GenerativeReplay plugin = started(settings(1), 1);
        plugin.onTaskStart(task(0));
        assertNull(plugin.generator());
        train(plugin, 0, 3);
        assertNotNull(plugin.generator());
        assertEquals(6, plugin.generator().inputs());
        assertNull(plugin.oldGenerator());
        assertNull(plugin.labeller());
        assertEquals(3, plugin.adam().steps());
        verify(metrics).record(eq("generator_loss"), anyDouble()); // step 0 only
        plugin.close();
    }

    @Test
    void replayHasTheIncomingShapeAndTheSnapshotsLabelsAmongEarlierClassesOnly() {
        GenerativeReplay plugin = started(settings(1), 2);
        plugin.onTaskStart(task(0));
        train(plugin, 0, 40);
        plugin.onTaskStart(task(1));
        float[] w0 = model.parameter("w").array().toFloatArray();
        float[] b0 = model.parameter("b").array().toFloatArray();
        // the live model moves on: with it, every label would be 1
        float[] b1 = {-100, 100, 0, 0, 100, 100};
        overwrite(weights(new Random(10)), b1);
        int zeros = 0;
        for (int k = 0; k < 5; k++) {
            try (NDManager sm = root.newSubManager()) {
                StepContext step = step(sm, 1);
                Batch replayed = plugin.replay(step);
                assertEquals(new Shape(BATCH).addAll(SAMPLE), replayed.features().getShape(), "one earlier task");
                assertEquals(DataType.FLOAT32, replayed.features().getDataType());
                assertEquals(DataType.INT64, replayed.labels().getDataType());
                float[] x = replayed.features().toFloatArray();
                long[] y = replayed.labels().toLongArray();
                long[] t = replayed.tasks().toLongArray();
                for (int i = 0; i < y.length; i++) {
                    assertEquals(expectedLabel(x, i, w0, b0, new int[] {0, 1}), y[i], "row " + i);
                    assertEquals(0, t[i]);
                    zeros += y[i] == 0 ? 1 : 0;
                }
                for (float v : x) {
                    assertTrue(v >= 0 && v <= 1);
                }
                plugin.afterStep(step);
            }
        }
        assertTrue(zeros > 0, "the snapshot, not the live model (which says 1 everywhere), labels");
        // at the next task the snapshot is the model of then, and the classes of both earlier tasks are allowed
        train(plugin, 1, 5);
        plugin.onTaskStart(task(2));
        float[] w1 = model.parameter("w").array().toFloatArray();
        overwrite(weights(new Random(11)), new float[] {0, 0, 0, 0, 0, 0});
        try (NDManager sm = root.newSubManager()) {
            Batch replayed = plugin.replay(step(sm, 2));
            assertEquals(new Shape(2 * BATCH).addAll(SAMPLE), replayed.features().getShape(), "two earlier tasks");
            float[] x = replayed.features().toFloatArray();
            long[] y = replayed.labels().toLongArray();
            long[] t = replayed.tasks().toLongArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(expectedLabel(x, i, w1, b1, new int[] {0, 1, 2, 3}), y[i], "row " + i);
                assertEquals(y[i] / 2, t[i], "the task of class " + y[i]);
            }
        }
        assertArrayEquals(new int[] {0, 1, 2, 3}, plugin.labeller().classes());
        plugin.close();
    }

    @Test
    void theOldGeneratorStaysFrozenWhileTheNewOneLearnsTheMixedBatch() {
        GenerativeReplay plugin = started(settings(2), 3);
        plugin.onTaskStart(task(0));
        train(plugin, 0, 10);
        float[] atStart = plugin.generator().weights().get("dec2.weight").toFloatArray();
        plugin.onTaskStart(task(1));
        train(plugin, 1, 10);
        assertArrayEquals(atStart, plugin.oldGenerator().weights().get("dec2.weight").toFloatArray());
        float[] now = plugin.generator().weights().get("dec2.weight").toFloatArray();
        double moved = 0;
        for (int i = 0; i < now.length; i++) {
            moved += Math.abs(now[i] - atStart[i]);
        }
        assertTrue(moved > 0.1, "the new generator trains on");
        assertEquals(2 * 20, plugin.adam().steps(), "generatorSteps updates per classifier step");
        plugin.close();
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        float[][] replays = new float[2][];
        float[][] generators = new float[2][];
        for (int r = 0; r < 2; r++) {
            data = new Random(0);
            GenerativeReplay plugin = started(settings(1), 42);
            plugin.onTaskStart(task(0));
            train(plugin, 0, 15);
            plugin.onTaskStart(task(1));
            train(plugin, 1, 3);
            try (NDManager sm = root.newSubManager()) {
                replays[r] = plugin.replay(step(sm, 1)).features().toFloatArray();
            }
            generators[r] = plugin.generator().weights().get("enc.weight").toFloatArray();
            plugin.close();
        }
        assertArrayEquals(replays[0], replays[1]);
        assertArrayEquals(generators[0], generators[1]);
    }

    @Test
    void stateRoundTripsWithinATask() {
        GenerativeReplay plugin = started(settings(1), 4);
        plugin.onTaskStart(task(0));
        train(plugin, 0, 10);
        plugin.onTaskStart(task(1));
        train(plugin, 1, 4);
        float[] w = model.parameter("w").array().toFloatArray();
        float[] b = model.parameter("b").array().toFloatArray();
        try (MapState state = new MapState()) {
            plugin.saveState(state);
            GenerativeReplay resumed = new GenerativeReplay(settings(1));
            resumed.restoreState(state); // before the run starts: installed at the first hook
            overwrite(weights(new Random(12)), new float[] {0, 50, 0, 0, 0, 0}); // the live model has moved on
            resumed.onRunStart(run(5));
            resumed.onTaskStart(task(1)); // resumed within task 1: the frozen copies stay
            assertEquals(plugin.adam().steps(), resumed.adam().steps());
            for (String name : plugin.generator().weights().keySet()) {
                assertArrayEquals(plugin.generator().weights().get(name).toFloatArray(),
                        resumed.generator().weights().get(name).toFloatArray(), name);
                assertArrayEquals(plugin.oldGenerator().weights().get(name).toFloatArray(),
                        resumed.oldGenerator().weights().get(name).toFloatArray(), name);
                assertArrayEquals(plugin.adam().secondMoments().get(name).toFloatArray(),
                        resumed.adam().secondMoments().get(name).toFloatArray(), name);
            }
            assertEquals(1, resumed.labeller().task());
            try (NDManager sm = root.newSubManager()) {
                StepContext step = step(sm, 1);
                Batch replayed = resumed.replay(step);
                float[] x = replayed.features().toFloatArray();
                long[] y = replayed.labels().toLongArray();
                for (int i = 0; i < y.length; i++) {
                    assertEquals(expectedLabel(x, i, w, b, new int[] {0, 1}), y[i], "labelled by the saved snapshot");
                }
                resumed.afterStep(step);
            }
            assertEquals(plugin.adam().steps() + 1, resumed.adam().steps());
            resumed.close();
        }
        plugin.close();
        // a state saved before the first step round-trips too
        try (MapState empty = new MapState()) {
            GenerativeReplay fresh = started(settings(1), 6);
            fresh.saveState(empty);
            GenerativeReplay restored = started(settings(1), 6);
            restored.restoreState(empty);
            restored.onTaskStart(task(0));
            assertNull(restored.generator());
            train(restored, 0, 1);
            assertNotNull(restored.generator());
            fresh.close();
            restored.close();
        }
    }

    @Test
    void stepArraysStayInTheStepManager() {
        GenerativeReplay plugin = started(settings(2), 7);
        plugin.onTaskStart(task(0));
        train(plugin, 0, 5);
        plugin.onTaskStart(task(1));
        train(plugin, 1, 2);
        int held = runManager.getManagedArrays().size();
        NDManager sm = root.newSubManager();
        StepContext step = step(sm, 1);
        Batch replayed = plugin.replay(step);
        plugin.afterStep(step);
        sm.close();
        assertTrue(replayed.features().isReleased() && replayed.labels().isReleased());
        assertEquals(held, runManager.getManagedArrays().size(), "a step leaves nothing in the run manager");
        plugin.close();
        assertEquals(0, runManager.getManagedArrays().size(), "close releases the generators and the snapshot");
    }

    @Test
    void settingsScaleReplayWithTheEarlierTasks() {
        assertEquals(32, new GenreplaySettings(32, 400, 1e-3, 32, 1, true).replayRows(1));
        assertEquals(96, new GenreplaySettings(32, 400, 1e-3, 32, 1, true).replayRows(3));
        assertEquals(32, new GenreplaySettings(32, 400, 1e-3, 32, 1, false).replayRows(3));
        assertEquals(new GenreplaySettings(32, 400, 1e-3, 32, 1, true),
                GenreplaySettings.from(GenreplaySettings.SPEC.bind(Map.of())));
    }
}
