package io.graft.plugin.packnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.MapState;
import io.graft.plugin.testkit.MaskedMlp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PackNetTest {

    private static final int INPUTS = 4;
    private static final int HIDDEN = 8;
    private static final float LR = 0.5f;
    private static final List<TaskInfo> TWO_TASKS = List.of(
            new TaskInfo(0, "classes 0,1", new int[] {0, 1}), new TaskInfo(1, "classes 2,3", new int[] {2, 3}));
    private static final List<TaskInfo> THREE_TASKS = List.of(
            new TaskInfo(0, "classes 0,1", new int[] {0, 1}), new TaskInfo(1, "classes 2,3", new int[] {2, 3}),
            new TaskInfo(2, "classes 4,5", new int[] {4, 5}));

    private NDManager root;
    private NDManager runManager;
    private MetricSink metrics;
    private MaskedMlp model;
    private List<TaskInfo> tasks;
    private long stepIndex;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        runManager = root.newSubManager();
        metrics = mock(MetricSink.class);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private PackNet started(List<TaskInfo> scenario, int outputs, PackNetSettings settings) {
        tasks = scenario;
        model = new MaskedMlp(root.newSubManager(), INPUTS, new int[] {HIDDEN}, outputs, 7);
        PackNet packnet = new PackNet(settings);
        packnet.onRunStart(run());
        return packnet;
    }

    private RunContext run() {
        RunContext run = Contexts.run(model, runManager, metrics, new Random(1));
        when(run.tasks()).thenReturn(tasks);
        return run;
    }

    private TaskContext task(int index) {
        TaskContext task = Contexts.task(index, new ArrayTaskData(new float[][] {{0, 0, 0, 0}}, new long[] {0}, index),
                model, runManager, metrics, new Random(index));
        when(task.task()).thenReturn(tasks.get(index));
        when(task.tasks()).thenReturn(tasks);
        return task;
    }

    /** Trains one task for {@code steps} steps on random samples of its classes, as the kernel would. */
    private void trainTask(PackNet packnet, int index, int steps, Map<String, List<float[]>> gradients) {
        TaskInfo info = tasks.get(index);
        packnet.onTaskStart(task(index));
        Random random = new Random(100 + index);
        for (int s = 0; s < steps; s++) {
            float[][] x = new float[6][INPUTS];
            long[] y = new long[6];
            for (int i = 0; i < x.length; i++) {
                y[i] = info.classes()[random.nextInt(info.classes().length)];
                for (int j = 0; j < INPUTS; j++) {
                    x[i][j] = (float) random.nextGaussian() + (y[i] == j % 4 ? 2 : 0);
                }
            }
            try (NDManager sm = runManager.newSubManager()) {
                StepContext step = Contexts.step(stepIndex++, info, s, steps, model, runManager, sm, metrics);
                when(step.tasks()).thenReturn(tasks);
                Map<String, float[]> seen = trainStep(packnet, step, x, y);
                if (gradients != null) {
                    seen.forEach((name, g) -> gradients.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(g));
                }
            }
        }
        packnet.onTaskEnd(task(index));
    }

    /**
     * One training step of the kernel on the model: forward with PackNet's masks, backward, its transform, SGD,
     * then its afterStep.
     *
     * @return each parameter's gradient as the optimizer saw it (after the transform)
     */
    private Map<String, float[]> trainStep(PackNet packnet, StepContext step, float[][] x, long[] y) {
        Map<String, float[]> seen = model.train(x, y, packnet, MaskedMlp.Query.of(step), () -> packnet.transform(step),
                LR);
        packnet.afterStep(step);
        return seen;
    }

    /** @return the evaluation logits of a task, with PackNet's masks for it */
    private float[] evaluate(PackNet packnet, TaskInfo task, NDManager manager) {
        return model.logits(probe(), packnet, MaskedMlp.Query.evaluation(task, manager));
    }

    private static float[][] probe() {
        Random random = new Random(5);
        float[][] x = new float[10][INPUTS];
        for (float[] row : x) {
            for (int j = 0; j < INPUTS; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void weightsOfEarlierTasksStayExactlyAsTheyWere() {
        PackNet packnet = started(TWO_TASKS, 4, new PackNetSettings(0.5, 0.5, false));
        trainTask(packnet, 0, 6, null);
        assertEquals(0, packnet.packedThrough());
        Ownership owners = packnet.ownership();
        Map<String, float[]> afterTask0 = new HashMap<>();
        for (Parameter p : model.parameters()) {
            afterTask0.put(p.name(), model.values(p.name()));
        }
        float[] logitsTask0;
        try (NDManager em = runManager.newSubManager()) {
            logitsTask0 = evaluate(packnet, tasks.get(0), em);
        }
        // what task 0 released was zeroed and stayed zero while it retrained its own weights
        short[] fc1 = owners.owners("fc1.weight");
        float[] fc1Values = afterTask0.get("fc1.weight");
        int released = 0;
        for (int i = 0; i < fc1.length; i++) {
            if (fc1[i] == Ownership.FREE) {
                assertEquals(0f, fc1Values[i], 0f, "released fc1.weight[" + i + "]");
                released++;
            }
        }
        assertEquals(fc1.length / 2, released);

        Map<String, List<float[]>> gradients = new HashMap<>();
        trainTask(packnet, 1, 6, gradients);

        boolean task1Learnt = false;
        for (Parameter p : model.parameters()) {
            short[] owner = owners.owners(p.name());
            float[] before = afterTask0.get(p.name());
            float[] after = model.values(p.name());
            for (int i = 0; i < owner.length; i++) {
                if (owner[i] == 0) {
                    assertEquals(before[i], after[i], 0f, p.name() + "[" + i + "] of task 0 moved");
                    for (float[] g : gradients.get(p.name())) {
                        assertEquals(0f, g[i], 0f, p.name() + "[" + i + "] of task 0 got a gradient");
                    }
                } else if (owner[i] == 1 && before[i] != after[i]) {
                    task1Learnt = true;
                }
            }
        }
        assertTrue(task1Learnt, "task 1 trained weights of its own");
        assertEquals(fc1.length / 2, owners.count("fc1.weight", 1), "the last task keeps all it found free");
        assertEquals(0, owners.count("fc1.bias", 1), "biases belong to the first task");
        try (NDManager em = runManager.newSubManager()) {
            assertArrayEquals(logitsTask0, evaluate(packnet, tasks.get(0), em), 0f,
                    "task 0's network is unchanged");
        }
        packnet.close();
    }

    @Test
    void evaluationMasksShowTaskTOnlyTheWeightsOfTasksUpToT() {
        PackNet packnet = started(THREE_TASKS, 6, new PackNetSettings(0.5, 0.7, false));
        trainTask(packnet, 0, 4, null);
        trainTask(packnet, 1, 4, null);
        Ownership owners = packnet.ownership();
        try (NDManager em = runManager.newSubManager()) {
            for (Parameter p : model.parameters()) {
                short[] owner = owners.owners(p.name());
                for (int t = 0; t <= 1; t++) {
                    NDArray mask = packnet.weightMask(p, new MaskedMlp.Query(tasks.get(t), false, -1, -1, em));
                    float[] m = mask == null ? null : mask.toFloatArray();
                    for (int i = 0; i < owner.length; i++) {
                        boolean visible = owner[i] != Ownership.FREE && owner[i] <= t;
                        float expected = visible ? 1f : 0f;
                        assertEquals(expected, m == null ? 1f : m[i], 0f, p.name() + "[" + i + "] for task " + t);
                    }
                }
                assertNull(packnet.weightMask(p, new MaskedMlp.Query(tasks.get(2), false, -1, -1, em)),
                        "a task not yet packed sees the whole network");
            }
            Parameter fc1 = model.parameter("fc1.weight");
            NDArray task0 = packnet.weightMask(fc1, new MaskedMlp.Query(tasks.get(0), false, -1, -1, em));
            NDArray task1 = packnet.weightMask(fc1, new MaskedMlp.Query(tasks.get(1), false, -1, -1, em));
            assertNotNull(task0);
            assertEquals(HIDDEN * INPUTS / 2, (long) task0.sum().getFloat(), "task 0 keeps half of fc1");
            assertEquals(HIDDEN * INPUTS * 3 / 4, (long) task1.sum().getFloat(), "task 1 adds half of the rest");
            assertNull(packnet.weightMask(fc1, new MaskedMlp.Query(tasks.get(1), true, 3, 4, em)),
                    "in training the task sees the free weights too: the whole network");
        }
        packnet.close();
    }

    @Test
    void pruningKeepsExactlyTheLargestMagnitudeShareOfEachLayer() {
        PackNet packnet = started(TWO_TASKS, 4, new PackNetSettings(0.75, 1.0, true));
        float[] fc1 = model.values("fc1.weight");
        float[] head = model.values("out.weight");
        packnet.onTaskStart(task(0));
        packnet.onTaskEnd(task(0));
        Ownership owners = packnet.ownership();
        short[] owner = owners.owners("fc1.weight");
        int n = owner.length;
        int keep = n - (int) Math.round(0.75 * n);
        assertEquals(keep, owners.count("fc1.weight", 0));
        float smallestKept = Float.MAX_VALUE;
        float largestReleased = 0;
        float[] now = model.values("fc1.weight");
        for (int i = 0; i < n; i++) {
            if (owner[i] == 0) {
                smallestKept = Math.min(smallestKept, Math.abs(fc1[i]));
                assertEquals(fc1[i], now[i], 0f, "a kept weight keeps its value");
            } else {
                largestReleased = Math.max(largestReleased, Math.abs(fc1[i]));
                assertEquals(0f, now[i], 0f, "a released weight is zeroed");
            }
        }
        assertTrue(smallestKept > largestReleased, smallestKept + " > " + largestReleased);
        // the head: task 0's rows are its own classifier, kept whole; the other rows stay free and untouched
        short[] headOwner = owners.owners("out.weight");
        float[] headNow = model.values("out.weight");
        for (int i = 0; i < headOwner.length; i++) {
            int row = i / HIDDEN;
            assertEquals(row < 2 ? 0 : Ownership.FREE, headOwner[i], "out.weight[" + i + "]");
            assertEquals(head[i], headNow[i], 0f);
        }
        assertArrayEquals(new short[] {0, 0, Ownership.FREE, Ownership.FREE}, owners.owners("out.bias"));
        verify(metrics).record(eq("capacity_task.fc1.weight"),
                org.mockito.AdditionalMatchers.eq((double) keep / n, 1e-12));
        verify(metrics).record(eq("released"), org.mockito.AdditionalMatchers.eq(n - keep, 0));

        // the last task, pruned too (pruneLastTask): it keeps the largest quarter of what is still free
        fc1 = model.values("fc1.weight");
        packnet.onTaskStart(task(1));
        packnet.onTaskEnd(task(1));
        int free = n - keep;
        assertEquals(free - Math.round(0.75 * free), owners.count("fc1.weight", 1));
        owner = owners.owners("fc1.weight");
        float smallest1 = Float.MAX_VALUE;
        float largestFree = 0;
        for (int i = 0; i < n; i++) {
            if (owner[i] == 1) {
                smallest1 = Math.min(smallest1, Math.abs(fc1[i]));
            } else if (owner[i] == Ownership.FREE) {
                largestFree = Math.max(largestFree, Math.abs(fc1[i]));
            }
        }
        assertTrue(smallest1 >= largestFree, smallest1 + " >= " + largestFree);
        packnet.close();
    }

    @Test
    void aHeadRowALaterTaskSharesIsPrunedRowByRow() {
        List<TaskInfo> overlapping = List.of(new TaskInfo(0, "classes 0,1", new int[] {0, 1}),
                new TaskInfo(1, "classes 1,2", new int[] {1, 2}));
        PackNet packnet = started(overlapping, 3, new PackNetSettings(0.5, 1.0, false));
        float[] head = model.values("out.weight");
        packnet.onTaskStart(task(0));
        packnet.onTaskEnd(task(0));
        short[] owner = packnet.ownership().owners("out.weight");
        int row0 = 0;
        int row1 = 0;
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] == 0) {
                if (i / HIDDEN == 0) {
                    row0++;
                } else {
                    assertEquals(1, i / HIDDEN);
                    row1++;
                }
            }
        }
        assertEquals(HIDDEN, row0, "class 0 is task 0's alone: its row is kept whole");
        assertEquals(HIDDEN / 2, row1, "class 1 returns in task 1: half its row is left for it");
        float smallestKept = Float.MAX_VALUE;
        float largestReleased = 0;
        for (int i = HIDDEN; i < 2 * HIDDEN; i++) {
            if (owner[i] == 0) {
                smallestKept = Math.min(smallestKept, Math.abs(head[i]));
            } else {
                largestReleased = Math.max(largestReleased, Math.abs(head[i]));
            }
        }
        assertTrue(smallestKept > largestReleased);
        packnet.close();
    }

    @Test
    void packsAfterPruneAtOfTheTaskStepsAndRetrainsOnlyWhatItKept() {
        PackNet packnet = started(TWO_TASKS, 4, new PackNetSettings(0.5, 0.7, false));
        packnet.onTaskStart(task(0));
        TaskInfo info = tasks.get(0);
        float[][] x = {{1, 0, 0, 0}, {0, 1, 0, 0}};
        long[] y = {0, 1};
        for (int s = 0; s < 10; s++) {
            try (NDManager sm = runManager.newSubManager()) {
                StepContext step = Contexts.step(s, model, sm, metrics);
                when(step.task()).thenReturn(info);
                when(step.stepInTask()).thenReturn((long) s);
                when(step.taskSteps()).thenReturn(10L);
                Map<String, float[]> g = trainStep(packnet, step, x, y);
                assertEquals(s >= 6 ? 0 : -1, packnet.packedThrough(), "after step " + s);
                if (s > 6) {
                    short[] owner = packnet.ownership().owners("fc1.weight");
                    for (int i = 0; i < owner.length; i++) {
                        if (owner[i] != 0) {
                            assertEquals(0f, g.get("fc1.weight")[i], 0f, "released fc1.weight[" + i + "] trains");
                        }
                    }
                }
            }
        }
        packnet.onTaskEnd(task(0));
        assertEquals(0, packnet.packedThrough());
        packnet.close();
    }

    @Test
    void refusesAtRunStartWhenTheTasksOutgrowTheNetwork() {
        tasks = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            tasks.add(new TaskInfo(t, "task " + t, new int[] {t}));
        }
        model = new MaskedMlp(root.newSubManager(), 2, new int[] {2}, 8, 7);
        PackNet packnet = new PackNet(new PackNetSettings(0.5, 0.7, false));
        RunContext run = run();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> packnet.onRunStart(run));
        assertTrue(e.getMessage().contains("runs out of free weights"), e.getMessage());
        assertTrue(e.getMessage().contains("fc1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("raise pruneRatio"), e.getMessage());
        packnet.close();

        tasks = tasks.subList(0, 3);
        PackNet fits = new PackNet(new PackNetSettings(0.5, 0.7, false));
        fits.onRunStart(run());
        fits.close();
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        PackNet packnet = started(THREE_TASKS, 6, new PackNetSettings(0.5, 0.7, false));
        trainTask(packnet, 0, 4, null);
        try (MapState state = new MapState()) {
            packnet.saveState(state);
            PackNet resumed = new PackNet(new PackNetSettings(0.5, 0.7, false));
            resumed.restoreState(state); // before the run starts: held on the host
            resumed.onRunStart(run());
            assertEquals(0, resumed.packedThrough());
            for (Parameter p : model.parameters()) {
                assertArrayEquals(packnet.ownership().owners(p.name()), resumed.ownership().owners(p.name()), p.name());
            }
            // both continue alike: same gradients for the same step of task 1
            Map<String, float[]> a = gradientsOfOneStep(packnet);
            Map<String, float[]> b = gradientsOfOneStep(resumed);
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name), b.get(name), 0f, name);
            }
            resumed.close();

            try (MapState blank = new MapState()) {
                new PackNet(new PackNetSettings(0.5, 0.7, false)).saveState(blank);
                PackNet fresh = new PackNet(new PackNetSettings(0.5, 0.7, false));
                fresh.restoreState(blank);
                assertNull(fresh.ownership());
                assertEquals(-1, fresh.packedThrough());
                fresh.onRunStart(run());
                assertEquals(0, fresh.ownership().count("fc1.weight", 0));
                fresh.close();
            }
        }
        packnet.close();
    }

    /** The gradients the optimizer would see at task 1's first step, without applying them. */
    private Map<String, float[]> gradientsOfOneStep(PackNet packnet) {
        Map<String, float[]> before = new HashMap<>();
        for (Parameter p : model.parameters()) {
            before.put(p.name(), model.values(p.name()));
        }
        Map<String, float[]> seen;
        try (NDManager sm = runManager.newSubManager()) {
            StepContext step = Contexts.step(0, model, sm, metrics);
            when(step.task()).thenReturn(tasks.get(1));
            when(step.stepInTask()).thenReturn(0L);
            when(step.taskSteps()).thenReturn(100L);
            seen = trainStep(packnet, step, new float[][] {{1, 2, 3, 4}, {-1, 0, 1, 0}}, new long[] {2, 3});
        }
        // undo the update so that the next plugin starts from the same weights
        for (Parameter p : model.parameters()) {
            NDArray value = p.array();
            try (NDArray original = runManager.create(before.get(p.name()), value.getShape())) {
                value.muli(0).addi(original);
            }
        }
        assertFalse(seen.isEmpty());
        return seen;
    }
}
