package io.graft.plugin.hat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskEmbeddingsTest {

    private static final LayerChain CHAIN = new LayerChain(
            List.of(new LayerChain.Layer("fc1", "fc1.weight", "fc1.bias", 2, 3)),
            new LayerChain.Layer("out", "out.weight", "out.bias", 4, 2));

    private NDManager manager;
    private TaskEmbeddings embeddings;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        embeddings = new TaskEmbeddings();
        embeddings.create(0, CHAIN, new Random(1), manager);
        embeddings.trackGradients(0);
    }

    @AfterEach
    void tearDown() {
        embeddings.close();
        manager.close();
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void theTrainingGateCarriesTheGradientIntoTheEmbedding() {
        embeddings.get(0, "fc1").set(new float[] {0f, 1f});
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray gate = embeddings.gate(0, "fc1", 2, step);
                assertArrayEquals(new float[] {0.5f, (float) sigmoid(2)}, gate.toFloatArray(), 1e-6f);
                collector.backward(gate.sum());
            }
            // d σ(s·e)/de = s·σ(s·e)(1 − σ(s·e))
            float[] grad = embeddings.get(0, "fc1").getGradient().toFloatArray();
            assertArrayEquals(new float[] {0.5f, (float) (2 * sigmoid(2) * (1 - sigmoid(2)))}, grad, 1e-6f);
        }
    }

    @Test
    void theEvaluationGateIsTheBinarisedEmbedding() {
        embeddings.get(0, "fc1").set(new float[] {-0.01f, 0.3f});
        try (NDManager pass = manager.newSubManager()) {
            assertArrayEquals(new float[] {0f, 1f}, embeddings.binary(0, "fc1", pass).toFloatArray());
        }
    }

    @Test
    void compensationRestoresTheSlopeAndBoundsTheCosh() {
        try (NDManager m = manager.newSubManager()) {
            // s = 1: s_max·(cosh(e) + 1)/(1·(cosh(e) + 1)) = s_max
            assertArrayEquals(new float[] {400f, 400f},
                    TaskEmbeddings.compensation(m.create(new float[] {0f, 0.7f}), 1, 400, 50).toFloatArray(), 1e-3f);
            // s = 100, e = 1: s·e = 100 is bounded to 50 inside the numerator's cosh
            double expected = 400.0 / 100 * (Math.cosh(50) + 1) / (Math.cosh(1) + 1);
            float got = TaskEmbeddings.compensation(m.create(new float[] {1f}), 100, 400, 50).toFloatArray()[0];
            assertEquals(1.0, got / expected, 1e-5);
        }
    }

    @Test
    void theStepIsCompensatedSgdThenBoundedAndZeroesTheGradient() {
        NDArray e = embeddings.get(0, "fc1");
        e.set(new float[] {0.5f, -0.2f});
        HatSettings settings = new HatSettings(400, 50, 0.75, 0.001, 6, HeadClipping.ROWS);
        try (NDManager step = manager.newSubManager()) {
            backward(e, new float[] {1f, -0.5f}, step);
            // s = 1: factor s_max = 400; e − lr·400·g = [0.5 − 0.4, −0.2 + 0.2]
            embeddings.step(0, 1, settings, step);
            assertArrayEquals(new float[] {0.1f, 0f}, e.toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {0f, 0f}, e.getGradient().toFloatArray(), 0f);

            backward(e, new float[] {100f, -100f}, step);
            embeddings.step(0, 1, settings, step);
            assertArrayEquals(new float[] {-6f, 6f}, e.toFloatArray(), 1e-6f);
        }
    }

    /** Leaves {@code w} as the gradient of {@code e} (loss Σ w·e). */
    private void backward(NDArray e, float[] w, NDManager step) {
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray loss = e.mul(step.create(w)).sum();
            loss.attach(step);
            collector.backward(loss);
        }
    }
}
