package io.graft.plugin.pnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.doubleThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.graft.api.masking.MaskQuery;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.MapState;
import io.graft.plugin.testkit.MaskedMlp;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressiveColumnsTest {

    private static final List<TaskInfo> TASKS = List.of(new TaskInfo(0, "classes 0,1", new int[] {0, 1}),
            new TaskInfo(1, "classes 2,3", new int[] {2, 3}), new TaskInfo(2, "classes 4,5", new int[] {4, 5}));

    private NDManager root;
    private NDManager runManager;
    private MetricSink metrics;
    private MaskedMlp host;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        runManager = root.newSubManager();
        metrics = mock(MetricSink.class);
        host = new MaskedMlp(root.newSubManager(), 4, new int[] {6, 6}, 6, 7);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private RunContext run() {
        RunContext run = Contexts.run(host, runManager, metrics, new Random(1));
        when(run.tasks()).thenReturn(TASKS);
        return run;
    }

    private ProgressiveColumns started(Connectivity connectivity) {
        ProgressiveColumns plugin = new ProgressiveColumns(new ColumnSettings(0), connectivity);
        plugin.onRunStart(run());
        return plugin;
    }

    private StepContext step(int task) {
        StepContext step = Contexts.step(0, host, runManager, metrics);
        when(step.task()).thenReturn(TASKS.get(task));
        return step;
    }

    private float[] gradient(String name) {
        return host.parameter(name).gradient().toFloatArray();
    }

    /** Rows of a (rows, cols) gradient as 0 (all zero) or 1 (all one). */
    private static float[] rowStates(float[] g, int cols) {
        float[] rows = new float[g.length / cols];
        for (int r = 0; r < rows.length; r++) {
            float first = g[r * cols];
            for (int c = 0; c < cols; c++) {
                assertEquals(first, g[r * cols + c], "row " + r + " is frozen only in part");
            }
            rows[r] = first;
        }
        return rows;
    }

    @Test
    void theThirdTaskFreezesTheFirstTwoColumnsAndTheirHeads() {
        ProgressiveColumns plugin = started(Connectivity.PROGRESSIVE);
        host.onesGradients();
        plugin.transform(step(2));
        float[] frozenFirstTwo = {0, 0, 0, 0, 1, 1};
        assertArrayEquals(frozenFirstTwo, rowStates(gradient("fc1.weight"), 4));
        assertArrayEquals(frozenFirstTwo, gradient("fc1.bias"));
        assertArrayEquals(frozenFirstTwo, rowStates(gradient("fc2.weight"), 6));
        assertArrayEquals(frozenFirstTwo, gradient("fc2.bias"));
        // head rows are classes: 0..3 belong to tasks 0 and 1
        assertArrayEquals(frozenFirstTwo, rowStates(gradient("out.weight"), 6));
        assertArrayEquals(frozenFirstTwo, gradient("out.bias"));
    }

    @Test
    void theFirstTaskFreezesNothing() {
        ProgressiveColumns plugin = started(Connectivity.INDEPENDENT);
        host.onesGradients();
        plugin.transform(step(0));
        for (var p : host.parameters()) {
            assertTrue(Arrays.equals(new float[(int) p.array().size()], p.gradient().sub(1).toFloatArray()),
                    p.name());
        }
    }

    @Test
    void masksAreAskedPerParameterAndTask() {
        ProgressiveColumns plugin = started(Connectivity.PROGRESSIVE);
        MaskQuery query = mock(MaskQuery.class);
        when(query.task()).thenReturn(TASKS.get(1));
        assertNull(plugin.weightMask(host.parameter("fc1.weight"), query));
        assertNull(plugin.weightMask(host.parameter("out.bias"), query));
        assertNotNull(plugin.weightMask(host.parameter("fc2.weight"), query));
        assertEquals(4f, plugin.weightMask(host.parameter("out.weight"), query).sum().getFloat());
        assertNull(plugin.unitMask("fc1", 6, query));
    }

    @Test
    void beforeTheRunStartsNothingIsMasked() {
        ProgressiveColumns plugin = new ProgressiveColumns(new ColumnSettings(0), Connectivity.PROGRESSIVE);
        MaskQuery query = mock(MaskQuery.class);
        when(query.task()).thenReturn(TASKS.get(0));
        assertNull(plugin.weightMask(host.parameter("fc2.weight"), query));
    }

    @Test
    void reportsTheParametersEachColumnUses() {
        started(Connectivity.PROGRESSIVE);
        verify(metrics).record("column_parameters_0", 22.0);
        verify(metrics).record("column_parameters_1", 26.0);
        verify(metrics).record("column_parameters_2", 30.0);
        verify(metrics).record("masked_parameters", (double) host.parameterCount() - 78);
    }

    @Test
    void reportsTheTrainableAndFrozenParametersAtEachTaskStart() {
        ProgressiveColumns plugin = started(Connectivity.PROGRESSIVE);
        plugin.onTaskStart(taskContext(2));
        verify(metrics).record("column", 2.0);
        verify(metrics).record("trainable_parameters", 30.0);
        verify(metrics).record("frozen_parameters", 48.0);
    }

    @Test
    void aWidthThatTheTasksDoNotDivideStopsTheRunAtItsStart() {
        ProgressiveColumns plugin = new ProgressiveColumns(new ColumnSettings(4), Connectivity.PROGRESSIVE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plugin.onRunStart(run()));
        assertTrue(e.getMessage().contains("model.hidden [6, 6]"), e.getMessage());
        assertTrue(e.getMessage().contains("model.hidden: [8, 8]"), e.getMessage());
    }

    @Test
    void theStateRecordsTheLayoutAndRefusesAnother() {
        ProgressiveColumns plugin = started(Connectivity.PROGRESSIVE);
        try (MapState state = new MapState()) {
            plugin.saveState(state);
            assertEquals("progressive 4-[3x2]-[3x2]-6", state.getString("layout"));
            plugin.restoreState(state);
            ProgressiveColumns other = started(Connectivity.INDEPENDENT);
            assertThrows(IllegalStateException.class, () -> other.restoreState(state));
        }
    }

    /** Trains tasks in sequence on the tiny host; returns task 0's logits after each task. */
    private float[][] task0LogitsAfterEachTask(Connectivity connectivity, boolean freeze) {
        ProgressiveColumns plugin = started(connectivity);
        Random random = new Random(3);
        float[][] probe = samples(random, 16);
        float[][] after = new float[TASKS.size()][];
        for (int t = 0; t < TASKS.size(); t++) {
            TaskInfo task = TASKS.get(t);
            StepContext step = step(t);
            TaskContext context = taskContext(t);
            plugin.onTaskStart(context);
            for (int s = 0; s < 20; s++) {
                float[][] x = samples(random, 8);
                long[] y = new long[x.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = task.classes()[random.nextInt(2)];
                    x[i][(int) y[i] % 4] += 2f;
                }
                host.train(x, y, plugin, task, freeze ? () -> plugin.transform(step) : null, 0.5f);
            }
            plugin.onTaskEnd(context);
            after[t] = host.taskLogits(probe, plugin, TASKS.get(0));
        }
        return after;
    }

    private TaskContext taskContext(int t) {
        TaskContext task = Contexts.task(t, null, host, runManager, metrics, new Random(t));
        when(task.task()).thenReturn(TASKS.get(t));
        return task;
    }

    private static float[][] samples(Random random, int n) {
        float[][] x = new float[n][4];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void theFirstTasksOutputsAreBitForBitUnchangedByLaterTasks() {
        float[] initialLateral = Arrays.copyOf(host.values("fc2.weight"), 36);
        float[][] after = task0LogitsAfterEachTask(Connectivity.PROGRESSIVE, true);
        assertArrayEquals(after[0], after[1]);
        assertArrayEquals(after[0], after[2]);
        // the later tasks did train: column 2's lateral adapter from column 0 (fc2 rows 4-5, cols 0-1) moved
        float[] fc2 = host.values("fc2.weight");
        assertFalse(fc2[4 * 6] == initialLateral[4 * 6] && fc2[5 * 6 + 1] == initialLateral[5 * 6 + 1]);
        verify(metrics, times(2)).record("frozen_change", 0.0);
    }

    @Test
    void aFrozenWeightThatMovesAnywayIsReported() {
        ProgressiveColumns plugin = started(Connectivity.PROGRESSIVE);
        plugin.onTaskStart(taskContext(1));
        // as momentum left from task 0 would: column 0's first fc1 weight moves during task 1
        try (NDManager scratch = runManager.newSubManager()) {
            NDArray nudge = scratch.zeros(new Shape(6, 4));
            nudge.set(new NDIndex(0, 0), 0.25f);
            host.parameter("fc1.weight").array().addi(nudge);
        }
        plugin.onTaskEnd(taskContext(1));
        verify(metrics).record("frozen_change", 0.25);
    }

    @Test
    void independentColumnsLeaveTheFirstTaskUnchangedToo() {
        float[][] after = task0LogitsAfterEachTask(Connectivity.INDEPENDENT, true);
        assertArrayEquals(after[0], after[2]);
    }

    @Test
    void withoutTheFreezeTheLateralTrainingWouldChangeTheFirstTask() {
        float[][] after = task0LogitsAfterEachTask(Connectivity.PROGRESSIVE, false);
        assertFalse(Arrays.equals(after[0], after[2]));
        verify(metrics, atLeastOnce()).record(eq("frozen_change"), doubleThat(v -> v > 0));
    }
}
