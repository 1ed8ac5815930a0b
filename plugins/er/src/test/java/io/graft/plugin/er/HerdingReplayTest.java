package io.graft.plugin.er;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDManager;
import io.graft.api.model.Batch;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Herding selection through the plugin, with a linear model on real DJL arrays whose logits are its inputs. */
class HerdingReplayTest {

    private NDManager root;
    private MetricSink metrics;
    private LinearModelView model;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        metrics = mock(MetricSink.class);
        model = new LinearModelView(root, new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new float[3]);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private ExperienceReplay started(int bufferSize, int candidates, Random random) {
        ExperienceReplay er = new ExperienceReplay(new ErSettings(bufferSize, 4, Selection.HERDING, candidates));
        er.onRunStart(Contexts.run(model, root, metrics, random));
        return er;
    }

    private TaskContext task(int index, ArrayTaskData data, int[] classes, Random random) {
        TaskContext task = Contexts.task(index, data, model, root, metrics, random);
        when(task.task()).thenReturn(new TaskInfo(index, "task " + index, classes));
        return task;
    }

    /**
     * Class 0: (3,4,0), (1,0,0), (0,2,0), (5,5,0). Normalised: (.6,.8), (1,0), (0,1), (.707,.707), mean
     * (.577,.627); with a share of 4 each (8 slots, 2 classes), by hand the order is (5,5), (3,4), (1,0), (0,2). On the raw logits it would be (3,4), (1,0),
     * (5,5), (0,2), so the normalisation shows. Class 1 has two points, both kept.
     */
    private static ArrayTaskData handMade() {
        float[][] x = {{3, 4, 0}, {0, 0, 2}, {1, 0, 0}, {0, 2, 0}, {0, 1, 3}, {5, 5, 0}};
        long[] y = {0, 1, 0, 0, 1, 0};
        return new ArrayTaskData(x, y, 0);
    }

    @Test
    void exemplarsComeInTheHandComputedOrderOfTheNormalisedLogits() {
        for (int candidates : new int[] {0, 2000}) {
            ExperienceReplay er = started(8, candidates, new Random(1));
            int arrays = root.getManagedArrays().size();
            er.onTaskEnd(task(0, handMade(), new int[] {0, 1}, new Random(1)));
            assertEquals(arrays, root.getManagedArrays().size(), "the collection leaves nothing on the run manager");
            HerdingBuffer buffer = (HerdingBuffer) er.buffer();
            assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1}, buffer.storedLabels());
            assertArrayEquals(new long[6], buffer.storedTasks());
            float[] first4 = Arrays.copyOf(buffer.storedFeatures(), 12);
            assertArrayEquals(new float[] {5, 5, 0, 3, 4, 0, 1, 0, 0, 0, 2, 0}, first4);
            assertEquals(6, buffer.seen(), "the task's samples count as seen");
        }
        // a share of one keeps only the first pick
        ExperienceReplay small = started(2, 0, new Random(2));
        small.onTaskEnd(task(0, handMade(), new int[] {0, 1}, new Random(2)));
        assertArrayEquals(new float[] {5, 5, 0}, Arrays.copyOf(small.buffer().storedFeatures(), 3));
    }

    @Test
    void keepsNothingDuringATaskAndReplaysOnlyEarlierExemplars() {
        ExperienceReplay er = started(10, 0, new Random(3));
        try (NDManager stepManager = root.newSubManager()) {
            StepContext step = Contexts.step(0, model, stepManager, metrics);
            when(step.batch()).thenReturn(handMade().batch(new int[] {0, 1, 2, 3}, stepManager));
            assertNull(er.replay(step));
            er.afterStep(step);
            assertEquals(0, er.buffer().filled(), "no reservoir update with herding");
        }
        er.onTaskEnd(task(0, handMade(), new int[] {0, 1}, new Random(3)));
        assertEquals(6, er.buffer().filled());
        try (NDManager stepManager = root.newSubManager()) {
            StepContext step = Contexts.step(1, model, stepManager, metrics);
            ArrayTaskData next = new ArrayTaskData(new float[][] {{9, 9, 9}, {8, 8, 8}}, new long[] {2, 3}, 1);
            when(step.batch()).thenReturn(next.batch(new int[] {0, 1}, stepManager));
            er.afterStep(step);
            Batch replayed = er.replay(step);
            assertNotNull(replayed);
            assertEquals(4, replayed.size());
            assertTrue(Arrays.stream(replayed.labels().toLongArray()).allMatch(y -> y == 0 || y == 1));
            assertEquals(6, er.buffer().filled());
        }
    }

    /** Task {@code t} has classes 3t, 3t+1, 3t+2, seven random points each. */
    private static ArrayTaskData threeClasses(int t, Random random) {
        float[][] x = new float[21][];
        long[] y = new long[21];
        for (int i = 0; i < 21; i++) {
            x[i] = new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat() - 0.5f};
            y[i] = 3L * t + i % 3;
        }
        return new ArrayTaskData(x, y, t);
    }

    private static int[] classesOf(int t) {
        return new int[] {3 * t, 3 * t + 1, 3 * t + 2};
    }

    @Test
    void memoryStaysWithinItsSizeSplitEvenlyAndShrinksFromTheEnd() {
        Random data = new Random(4);
        ExperienceReplay er = started(10, 5, new Random(5));
        HerdingBuffer buffer = (HerdingBuffer) er.buffer();
        int[][] expectedHeld = {{4, 3, 3}, {2, 2, 2, 2, 1, 1}, {2, 1, 1, 1, 1, 1, 1, 1, 1},
            {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}};
        List<float[]> before = List.of();
        for (int t = 0; t < 4; t++) {
            er.onTaskEnd(task(t, threeClasses(t, data), classesOf(t), new Random(6 + t)));
            assertTrue(buffer.filled() <= 10);
            int[] held = new int[buffer.groups()];
            for (int g = 0; g < held.length; g++) {
                long[] group = buffer.group(g);
                assertEquals(g / 3, group[0], "groups are kept oldest first");
                assertEquals(g, group[1]);
                held[g] = (int) group[2];
            }
            assertArrayEquals(expectedHeld[t], held);
            assertEquals(Arrays.stream(held).sum(), buffer.filled());
            assertTrue(Arrays.stream(held).max().getAsInt() - Arrays.stream(held).min().getAsInt() <= 1);
            List<float[]> now = exemplarsByGroup(buffer);
            for (int g = 0; g < before.size(); g++) {
                assertArrayEquals(Arrays.copyOf(before.get(g), now.get(g).length), now.get(g),
                        "group " + g + " keeps its first-chosen exemplars");
            }
            long[] labels = buffer.storedLabels();
            long[] tasks = buffer.storedTasks();
            for (int i = 0; i < labels.length; i++) {
                assertEquals(labels[i] / 3, tasks[i], "label and task of slot " + i);
            }
            before = now;
        }
    }

    private static List<float[]> exemplarsByGroup(HerdingBuffer buffer) {
        float[] features = buffer.storedFeatures();
        List<float[]> out = new ArrayList<>();
        int at = 0;
        for (int g = 0; g < buffer.groups(); g++) {
            int held = (int) buffer.group(g)[2];
            out.add(Arrays.copyOfRange(features, at * 3, (at + held) * 3));
            at += held;
        }
        return out;
    }

    @Test
    void candidatesAreCappedPerClassAndTheirFeaturesNormalised() {
        ArrayTaskData data = threeClasses(0, new Random(7));
        Candidates capped = Candidates.collect(task(0, data, classesOf(0), new Random(8)), 4, new Random(8));
        assertEquals(List.of(0L, 1L, 2L), capped.classes().stream().map(Candidates.OfClass::label).toList());
        assertEquals(3, capped.dim());
        assertArrayEquals(new long[] {3}, capped.sampleShape());
        for (Candidates.OfClass c : capped.classes()) {
            assertEquals(4, c.count());
            for (int i = 0; i < c.count(); i++) {
                double norm = 0;
                for (int j = 0; j < 3; j++) {
                    double v = c.features()[i * 3 + j];
                    norm += v * v;
                    assertEquals(c.inputs()[i * 3 + j] / Math.sqrt(squaredNorm(c.inputs(), i)), v, 1e-6,
                            "the feature is the logit (here the input) over its norm");
                }
                assertEquals(1, norm, 1e-6);
            }
        }
        Candidates all = Candidates.collect(task(0, data, classesOf(0), new Random(8)), 0, new Random(8));
        assertTrue(all.classes().stream().allMatch(c -> c.count() == 7));
    }

    private static double squaredNorm(float[] rows, int i) {
        double s = 0;
        for (int j = 0; j < 3; j++) {
            s += rows[i * 3 + j] * rows[i * 3 + j];
        }
        return s;
    }

    @Test
    void stateRoundTripsAndContinuesIdentically() {
        Random data = new Random(9);
        List<ArrayTaskData> tasks = List.of(threeClasses(0, data), threeClasses(1, data), threeClasses(2, data),
                threeClasses(3, data));
        Random random = new Random(10);
        ExperienceReplay er = started(10, 5, random);
        er.onTaskEnd(task(0, tasks.get(0), classesOf(0), random));
        er.onTaskEnd(task(1, tasks.get(1), classesOf(1), random));
        try (MapState state = new MapState()) {
            er.saveState(state);
            Random resumedRandom = new Random(11);
            ExperienceReplay resumed = started(10, 5, resumedRandom);
            resumed.restoreState(state);
            assertSameMemory((HerdingBuffer) er.buffer(), (HerdingBuffer) resumed.buffer());
            random.setSeed(12);
            resumedRandom.setSeed(12);
            for (int t = 2; t < 4; t++) {
                er.onTaskEnd(task(t, tasks.get(t), classesOf(t), random));
                resumed.onTaskEnd(task(t, tasks.get(t), classesOf(t), resumedRandom));
                assertSameMemory((HerdingBuffer) er.buffer(), (HerdingBuffer) resumed.buffer());
            }
        }
        // groups left with no slot (12 groups in 10 slots) keep their place through a round trip
        try (MapState state = new MapState()) {
            er.saveState(state);
            ExperienceReplay resumed = started(10, 5, new Random(13));
            resumed.restoreState(state);
            assertEquals(12, ((HerdingBuffer) resumed.buffer()).groups());
            assertSameMemory((HerdingBuffer) er.buffer(), (HerdingBuffer) resumed.buffer());
        }
    }

    @Test
    void restoredSamplesOfAnotherLayoutAreRegroupedByClass() {
        HerdingBuffer buffer = new HerdingBuffer(4);
        float[] x = {1, 2, 3, 4};
        buffer.restore(new long[] {1}, x, new long[] {0, 1, 0, 1}, new long[] {0, 0, 0, 0}, 50);
        assertArrayEquals(new long[] {0, 0, 1, 1}, buffer.storedLabels());
        assertArrayEquals(new float[] {1, 3, 2, 4}, buffer.storedFeatures());
        assertEquals(2, buffer.groups());
        assertEquals(50, buffer.seen());
    }

    private static void assertSameMemory(HerdingBuffer a, HerdingBuffer b) {
        assertEquals(a.seen(), b.seen());
        assertArrayEquals(a.storedFeatures(), b.storedFeatures());
        assertArrayEquals(a.storedLabels(), b.storedLabels());
        assertArrayEquals(a.storedTasks(), b.storedTasks());
        assertEquals(a.groups(), b.groups());
        for (int g = 0; g < a.groups(); g++) {
            assertArrayEquals(a.group(g), b.group(g));
        }
    }
}
