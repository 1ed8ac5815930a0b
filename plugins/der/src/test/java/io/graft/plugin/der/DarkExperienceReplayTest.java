package io.graft.plugin.der;

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

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.model.Batch;
import io.graft.api.train.MetricSink;
import io.graft.api.train.StepContext;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.MapState;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.mockito.AdditionalMatchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DarkExperienceReplayTest {

    private static final double ALPHA = 0.3;

    private NDManager root;
    private MetricSink metrics;
    private long stepIndex;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        metrics = mock(MetricSink.class);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private DarkExperienceReplay started(int bufferSize, int replayBatch, double beta, long seed) {
        DarkExperienceReplay der = new DarkExperienceReplay(new DerSettings(bufferSize, replayBatch, ALPHA, beta));
        der.onRunStart(Contexts.run(null, root, metrics, new Random(seed)));
        return der;
    }

    private StepContext step(NDManager sm) {
        StepContext step = Contexts.step(stepIndex++, null, sm, metrics);
        when(step.random()).thenReturn(new Random(99));
        when(step.metrics()).thenReturn(metrics);
        return step;
    }

    /** One afterStep on samples with 1 feature each: {@code x[i]}, labels {@code y[i]}, logits {@code z[i]}. */
    private void see(DarkExperienceReplay der, float[] x, long[] y, float[][] z) {
        try (NDManager sm = root.newSubManager()) {
            StepContext step = step(sm);
            Batch batch = new Batch(sm.create(x, new Shape(x.length, 1)), sm.create(y), sm.create(new long[y.length]));
            when(step.batch()).thenReturn(batch);
            when(step.logits()).thenReturn(sm.create(z));
            der.afterStep(step);
        }
    }

    private static double logSumExp(float[] o) {
        double s = 0;
        for (float v : o) {
            s += Math.exp(v);
        }
        return Math.log(s);
    }

    /** Stored: label 0 with logits (1,0,0), label 1 with (0,2,0); live replayed rows given per label. */
    private static final float[][] STORED = {{1, 0, 0}, {0, 2, 0}};
    private static final float[][] LIVE = {{2, 0, 1}, {0, 1, -1}};
    private static final float[] INCOMING = {0.5f, 1.5f, -0.5f};
    private static final int INCOMING_LABEL = 2;

    /** The penalty and the gradient of the outputs for a step with 1 incoming row and the 2 stored ones replayed. */
    private void checkPenalty(double beta) {
        DarkExperienceReplay der = started(2, 2, beta, 1);
        see(der, new float[] {10, 11}, new long[] {0, 1}, STORED);
        stepIndex = 0; // a step whose metrics are recorded
        try (NDManager sm = root.newSubManager()) {
            StepContext step = step(sm);
            Batch replayed = der.replay(step);
            assertNotNull(replayed);
            long[] labels = replayed.labels().toLongArray();
            assertEquals(Set.of(0L, 1L), Set.of(labels[0], labels[1]));
            float[] rows = new float[9];
            System.arraycopy(INCOMING, 0, rows, 0, 3);
            System.arraycopy(LIVE[(int) labels[0]], 0, rows, 3, 3);
            System.arraycopy(LIVE[(int) labels[1]], 0, rows, 6, 3);
            NDArray outputs = sm.create(rows, new Shape(3, 3));
            outputs.setRequiresGradient(true);
            when(step.outputs()).thenReturn(outputs);
            when(step.replayedFrom()).thenReturn(1);
            when(step.batch()).thenReturn(new Batch(sm.zeros(new Shape(1, 1)), sm.create(new long[] {INCOMING_LABEL}),
                    sm.create(new long[] {0})));

            // by hand: ||(2,0,1)-(1,0,0)||² = 2, ||(0,1,-1)-(0,2,0)||² = 2 -> mean 2
            double mse = 2;
            double ce0 = logSumExp(LIVE[0]) - LIVE[0][0];
            double ce1 = logSumExp(LIVE[1]) - LIVE[1][1];
            double ceIn = logSumExp(INCOMING) - INCOMING[INCOMING_LABEL];
            // the paper's weights over the kernel's one mean over N = 3 rows: incoming 1/1 − 1/3, replayed β/2 − 1/3
            double expected = ALPHA * mse + (beta / 2 - 1.0 / 3) * (ce0 + ce1) + (1 - 1.0 / 3) * ceIn;

            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray p = der.penalty(step);
                assertEquals(new Shape(), p.getShape());
                assertEquals(DataType.FLOAT32, p.getDataType(), "the kernel adds it to a float32 loss");
                assertEquals(expected, p.getFloat(), 1e-5);
                gc.backward(p);
            }
            grad = outputs.getGradient().toFloatArray();
            double lseIn = logSumExp(INCOMING);
            for (int j = 0; j < 3; j++) {
                double g = (1 - 1.0 / 3) * (Math.exp(INCOMING[j] - lseIn) - (j == INCOMING_LABEL ? 1 : 0));
                assertEquals(g, grad[j], 1e-6, "the incoming row's cross-entropy is reweighted to a mean over 1 row");
            }
            for (int r = 0; r < 2; r++) {
                int label = (int) labels[r];
                float[] o = LIVE[label];
                double lse = logSumExp(o);
                for (int j = 0; j < 3; j++) {
                    // d/do of α/k·||o−z||² is 2α(o−z)/k; of (β/k − 1/N)·CE it is (β/k − 1/N)·(softmax(o) − onehot)
                    double g = 2 * ALPHA * (o[j] - STORED[label][j]) / 2
                            + (beta / 2 - 1.0 / 3) * (Math.exp(o[j] - lse) - (j == label ? 1 : 0));
                    assertEquals(g, grad[3 + 3 * r + j], 1e-5, "row " + r + " logit " + j);
                }
            }
            verify(metrics).record(eq("der_mse"), AdditionalMatchers.eq(2.0, 1e-6));
        }
    }

    @Test
    void derppPenaltyIsLogitMatchingPlusRescaledCrossEntropy() {
        checkPenalty(0.5);
    }

    @Test
    void derPenaltyRemovesTheReplayedCrossEntropy() {
        checkPenalty(0);
    }

    @Test
    void noPenaltyWithoutReplayedRows() {
        DarkExperienceReplay der = started(4, 2, 0.5, 1);
        try (NDManager sm = root.newSubManager()) {
            StepContext step = step(sm);
            assertNull(der.replay(step), "an empty memory replays nothing");
            when(step.replayedFrom()).thenReturn(-1);
            assertNull(der.penalty(step));
        }
    }

    @Test
    void storedLogitsAreThoseOfTheStepTheSampleWasSeenIn() {
        DarkExperienceReplay der = started(5, 2, 0.5, 3);
        for (int s = 0; s < 40; s++) {
            // sample feature = step s, logits = (s, 2s) in that step
            see(der, new float[] {s, s}, new long[] {s % 10, s % 10}, new float[][] {{s, 2 * s}, {s, 2 * s}});
        }
        LogitBuffer buffer = der.buffer();
        assertEquals(5, buffer.filled());
        float[] x = buffer.storedFeatures();
        float[] z = buffer.storedLogits();
        long[] y = buffer.storedLabels();
        boolean late = false;
        for (int i = 0; i < 5; i++) {
            assertEquals(x[i], z[2 * i], 0f);
            assertEquals(2 * x[i], z[2 * i + 1], 0f);
            assertEquals((long) x[i] % 10, y[i]);
            late |= x[i] >= 2;
        }
        assertTrue(late, "the reservoir replaced early samples");
    }

    @Test
    void reservoirKeepsBufferSizeAndAUniformSample() {
        LogitBuffer buffer = new LogitBuffer(50);
        buffer.requireLayout(new long[] {1}, 1);
        Random random = new Random(5);
        int[] held = new int[10];
        int trials = 400;
        for (int t = 0; t < trials; t++) {
            LogitBuffer b = new LogitBuffer(50);
            b.requireLayout(new long[] {1}, 1);
            int[] owner = new int[50];
            for (int s = 0; s < 1000; s++) {
                for (int slot : b.offer(1, random)) {
                    if (slot >= 0) {
                        owner[slot] = s;
                    }
                }
            }
            assertEquals(50, b.filled());
            assertEquals(1000, b.seen());
            for (int o : owner) {
                held[o / 100]++;
            }
        }
        // each decile of the stream holds 5 slots on average
        for (int h : held) {
            assertEquals(5.0, h / (double) trials, 0.5);
        }
        assertEquals(50, buffer.capacity());
    }

    @Test
    void stateRoundTrip() {
        DarkExperienceReplay der = started(3, 2, 0.5, 7);
        for (int s = 0; s < 5; s++) {
            see(der, new float[] {s}, new long[] {s}, new float[][] {{s, -s}});
        }
        DarkExperienceReplay copy = started(3, 2, 0.5, 8);
        try (MapState state = new MapState()) {
            der.saveState(state);
            copy.restoreState(state);
        }
        LogitBuffer a = der.buffer();
        LogitBuffer b = copy.buffer();
        assertEquals(a.seen(), b.seen());
        assertEquals(a.filled(), b.filled());
        assertArrayEquals(a.sampleShape(), b.sampleShape());
        assertArrayEquals(a.storedFeatures(), b.storedFeatures());
        assertArrayEquals(a.storedLogits(), b.storedLogits());
        assertArrayEquals(a.storedLabels(), b.storedLabels());
        assertArrayEquals(a.storedTasks(), b.storedTasks());
        try (NDManager sm = root.newSubManager()) {
            Batch replayed = copy.replay(step(sm));
            assertEquals(2, replayed.size());
            Set<Long> labels = new HashSet<>();
            for (long l : replayed.labels().toLongArray()) {
                labels.add(l);
            }
            assertEquals(2, labels.size(), "distinct samples");
        }

        DarkExperienceReplay empty = started(3, 2, 0.5, 9);
        DarkExperienceReplay emptyCopy = started(3, 2, 0.5, 9);
        try (MapState state = new MapState()) {
            empty.saveState(state);
            emptyCopy.restoreState(state);
        }
        assertEquals(0, emptyCopy.buffer().filled());
        assertNull(emptyCopy.buffer().sampleShape());
    }

    @Test
    void bufferFillIsRecorded() {
        DarkExperienceReplay der = started(3, 2, 0.5, 7);
        stepIndex = 0;
        see(der, new float[] {1, 2}, new long[] {0, 1}, new float[][] {{0}, {1}});
        verify(metrics).record(eq("buffer_size"), anyDouble());
    }
}
