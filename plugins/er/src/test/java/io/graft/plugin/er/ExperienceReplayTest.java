package io.graft.plugin.er;

import io.graft.plugin.testkit.MapState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExperienceReplayTest {

    private static final Shape SAMPLE = new Shape(1, 2, 3);
    private static final int SAMPLE_SIZE = 6;

    private NDManager root;
    private MetricSink metrics;
    private long stepIndex;
    private int nextSample;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        metrics = mock(MetricSink.class);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private ExperienceReplay started(int bufferSize, int replayBatch, long seed) {
        return started(bufferSize, replayBatch, Selection.RESERVOIR, new Random(seed));
    }

    private ExperienceReplay started(int bufferSize, int replayBatch, Selection selection, Random random) {
        ExperienceReplay er = new ExperienceReplay(new ErSettings(bufferSize, replayBatch, selection, 2000));
        RunContext run = mock(RunContext.class);
        when(run.random()).thenReturn(random);
        when(run.metrics()).thenReturn(metrics);
        when(run.manager()).thenReturn(root);
        er.onRunStart(run);
        return er;
    }

    private StepContext step(NDManager stepManager, Batch batch) {
        StepContext step = mock(StepContext.class);
        when(step.step()).thenReturn(stepIndex++);
        when(step.stepManager()).thenReturn(stepManager);
        when(step.batch()).thenReturn(batch);
        return step;
    }

    /**
     * A batch of {@code n} new samples. Sample {@code s} has label {@code s % 10}, task {@code s / 1000} and every
     * feature equal to {@code s + j/10}, so that a replayed row can be traced back to its label and task.
     */
    private Batch incoming(NDManager manager, int n) {
        float[] x = new float[n * SAMPLE_SIZE];
        long[] y = new long[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            int s = nextSample++;
            for (int j = 0; j < SAMPLE_SIZE; j++) {
                x[i * SAMPLE_SIZE + j] = s + j / 10f;
            }
            y[i] = s % 10;
            t[i] = s / 1000;
        }
        return new Batch(manager.create(x, new Shape(n).addAll(SAMPLE)), manager.create(y), manager.create(t));
    }

    private void train(ExperienceReplay er, int steps, int batchSize) {
        for (int i = 0; i < steps; i++) {
            try (NDManager stepManager = root.newSubManager()) {
                er.afterStep(step(stepManager, incoming(stepManager, batchSize)));
            }
        }
    }

    private static void assertConsistent(Batch replayed) {
        float[] x = replayed.features().toFloatArray();
        long[] y = replayed.labels().toLongArray();
        long[] t = replayed.tasks().toLongArray();
        Set<Integer> samples = new HashSet<>();
        for (int i = 0; i < replayed.size(); i++) {
            int s = Math.round(x[i * SAMPLE_SIZE]);
            assertTrue(samples.add(s), "sample " + s + " replayed twice in one batch");
            for (int j = 0; j < SAMPLE_SIZE; j++) {
                assertEquals(s + j / 10f, x[i * SAMPLE_SIZE + j], 1e-3f);
            }
            assertEquals(s % 10, y[i], "label of sample " + s);
            assertEquals(s / 1000, t[i], "task of sample " + s);
        }
    }

    @Test
    void replaysNothingWhileTheMemoryIsEmpty() {
        ExperienceReplay er = started(100, 32, 1);
        try (NDManager stepManager = root.newSubManager()) {
            assertNull(er.replay(step(stepManager, incoming(stepManager, 8))));
        }
    }

    @Test
    void replayedBatchHasTheIncomingShapeAndConsistentLabels() {
        ExperienceReplay er = started(100, 32, 2);
        train(er, 1, 10);
        try (NDManager stepManager = root.newSubManager()) {
            Batch few = er.replay(step(stepManager, incoming(stepManager, 10)));
            assertNotNull(few);
            assertEquals(new Shape(10).addAll(SAMPLE), few.features().getShape(), "min(replayBatch, filled)");
            assertConsistent(few);
        }
        nextSample = 2990; // cross into task 3 (sample / 1000)
        train(er, 40, 16);
        try (NDManager stepManager = root.newSubManager()) {
            Batch replayed = er.replay(step(stepManager, incoming(stepManager, 16)));
            assertEquals(new Shape(32).addAll(SAMPLE), replayed.features().getShape());
            assertEquals(DataType.FLOAT32, replayed.features().getDataType());
            assertEquals(DataType.INT64, replayed.labels().getDataType());
            assertEquals(new Shape(32), replayed.labels().getShape());
            assertEquals(new Shape(32), replayed.tasks().getShape());
            assertConsistent(replayed);
            assertEquals(100, er.buffer().filled());
            assertEquals(10 + 40 * 16, er.buffer().seen());
        }
    }

    @Test
    void replayedArraysBelongToTheStepManager() {
        ExperienceReplay er = started(50, 8, 3);
        train(er, 3, 8);
        int rootArrays = root.getManagedArrays().size();
        NDManager stepManager = root.newSubManager();
        Batch replayed = er.replay(step(stepManager, incoming(stepManager, 8)));
        er.afterStep(step(stepManager, incoming(stepManager, 8)));
        stepManager.close();
        assertTrue(replayed.features().isReleased() && replayed.labels().isReleased() && replayed.tasks().isReleased());
        assertEquals(rootArrays, root.getManagedArrays().size(), "the memory holds no device arrays");
    }

    @Test
    void sameSeedSameMemory() {
        ExperienceReplay a = started(20, 8, 42);
        train(a, 30, 8);
        nextSample = 0;
        ExperienceReplay b = started(20, 8, 42);
        train(b, 30, 8);
        assertArrayEquals(a.buffer().storedLabels(), b.buffer().storedLabels());
        assertArrayEquals(a.buffer().storedFeatures(), b.buffer().storedFeatures());
    }

    @Test
    void bufferFillIsRecordedEveryFiftySteps() {
        ExperienceReplay er = started(500, 8, 4);
        train(er, 51, 4);
        verify(metrics).record(eq("buffer_size"), eq(4.0));
        verify(metrics).record(eq("buffer_size"), eq(204.0));
        verify(metrics, org.mockito.Mockito.times(2)).record(eq("buffer_size"), anyDouble());
    }

    @Test
    void stateRoundTripsThroughSaveAndRestore() {
        ExperienceReplay er = started(64, 16, 5);
        train(er, 20, 8);
        try (MapState state = new MapState()) {
            er.saveState(state);
            ExperienceReplay resumed = started(64, 16, 6);
            resumed.restoreState(state);
            assertEquals(er.buffer().filled(), resumed.buffer().filled());
            assertEquals(er.buffer().seen(), resumed.buffer().seen());
            assertArrayEquals(er.buffer().sampleShape(), resumed.buffer().sampleShape());
            assertArrayEquals(er.buffer().storedFeatures(), resumed.buffer().storedFeatures());
            assertArrayEquals(er.buffer().storedLabels(), resumed.buffer().storedLabels());
            assertArrayEquals(er.buffer().storedTasks(), resumed.buffer().storedTasks());
            try (NDManager stepManager = root.newSubManager()) {
                assertConsistent(resumed.replay(step(stepManager, incoming(stepManager, 8))));
            }
            // and it keeps learning from where it was
            train(resumed, 1, 8);
            assertEquals(er.buffer().seen() + 8, resumed.buffer().seen());
        }
        // an empty memory round-trips too, and then accepts any sample shape
        try (MapState state = new MapState()) {
            started(10, 4, 7).saveState(state);
            ExperienceReplay resumed = started(10, 4, 7);
            resumed.restoreState(state);
            assertEquals(0, resumed.buffer().filled());
            train(resumed, 1, 3);
            assertEquals(3, resumed.buffer().filled());
        }
    }

    @Test
    void nonFloatFeaturesComeBackInTheirOwnType() {
        ExperienceReplay er = started(10, 4, 8);
        try (NDManager stepManager = root.newSubManager()) {
            Batch bytes = new Batch(stepManager.create(new byte[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2)),
                    stepManager.create(new long[] {0, 1, 2}), stepManager.create(new long[] {0, 0, 0}));
            er.afterStep(step(stepManager, bytes));
            NDArray replayed = er.replay(step(stepManager, bytes)).features();
            assertEquals(DataType.INT8, replayed.getDataType());
            assertEquals(new Shape(3, 2), replayed.getShape());
        }
    }

    @Test
    void classBalancedReplaysConsistentBatchesAndKeepsEqualShares() {
        ExperienceReplay er = started(53, 16, Selection.CLASS_BALANCED, new Random(10));
        assertInstanceOf(ClassBalancedBuffer.class, er.buffer());
        train(er, 40, 16); // labels cycle through 0..9
        ClassBalancedBuffer buffer = (ClassBalancedBuffer) er.buffer();
        assertEquals(53, buffer.filled());
        assertEquals(10, buffer.classHeld().length);
        assertTrue(Arrays.stream(buffer.classHeld()).allMatch(h -> h == 5 || h == 6),
                Arrays.toString(buffer.classHeld()));
        for (int i = 0; i < 20; i++) {
            try (NDManager stepManager = root.newSubManager()) {
                Batch replayed = er.replay(step(stepManager, incoming(stepManager, 16)));
                assertEquals(new Shape(16).addAll(SAMPLE), replayed.features().getShape());
                assertConsistent(replayed);
            }
        }
    }

    @Test
    void classBalancedStateRoundTripsAndContinuesIdentically() {
        Random random = new Random(11);
        ExperienceReplay er = started(37, 8, Selection.CLASS_BALANCED, random);
        train(er, 30, 8);
        try (MapState state = new MapState()) {
            er.saveState(state);
            Random resumedRandom = new Random(12);
            ExperienceReplay resumed = started(37, 8, Selection.CLASS_BALANCED, resumedRandom);
            resumed.restoreState(state);
            ClassBalancedBuffer a = (ClassBalancedBuffer) er.buffer();
            ClassBalancedBuffer b = (ClassBalancedBuffer) resumed.buffer();
            assertEquals(a.seen(), b.seen());
            assertArrayEquals(a.storedFeatures(), b.storedFeatures());
            assertArrayEquals(a.storedLabels(), b.storedLabels());
            assertArrayEquals(a.storedTasks(), b.storedTasks());
            assertArrayEquals(a.classLabels(), b.classLabels());
            assertArrayEquals(a.classSeen(), b.classSeen());
            assertArrayEquals(a.classSlotOrder(), b.classSlotOrder());
            try (NDManager stepManager = root.newSubManager()) {
                assertConsistent(resumed.replay(step(stepManager, incoming(stepManager, 8))));
            }
            // same random state from here on: both memories evolve identically
            random.setSeed(99);
            resumedRandom.setSeed(99);
            int next = nextSample;
            train(er, 50, 8);
            nextSample = next;
            train(resumed, 50, 8);
            assertArrayEquals(a.storedFeatures(), b.storedFeatures());
            assertArrayEquals(a.storedLabels(), b.storedLabels());
            assertArrayEquals(a.classSeen(), b.classSeen());
        }
    }
}
