package io.graft.plugin.genreplay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaeTest {

    private NDManager root;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    /** Two binary 12-pixel patterns, repeated: a tiny data set a small autoencoder can learn. */
    private NDArray patterns(NDManager m) {
        float[] a = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
        float[] b = {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0};
        float[] x = new float[16 * 12];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(i % 2 == 0 ? a : b, 0, x, i * 12, 12);
        }
        return m.create(x, new Shape(16, 12));
    }

    /** The loss averaged over several noise draws, so that a comparison is not decided by one draw. */
    private static double meanLoss(Vae vae, NDArray x, Random random, NDManager m) {
        double total = 0;
        for (int i = 0; i < 20; i++) {
            total += vae.loss(x, Vae.gaussian(16, vae.latent(), random, m)).getFloat();
        }
        return total / 20;
    }

    @Test
    void lossDecreasesOnATinyDataSet() {
        Random random = new Random(3);
        NDManager state = root.newSubManager();
        Vae vae = Vae.initial(12, 16, 2, random, state);
        Adam adam = new Adam(0.01);
        double before;
        try (NDManager m = root.newSubManager()) {
            before = meanLoss(vae, patterns(m), random, m);
        }
        for (int step = 0; step < 300; step++) {
            try (NDManager m = root.newSubManager()) {
                NDArray x = patterns(m);
                NDArray noise = Vae.gaussian(16, 2, random, m);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(vae.loss(x, noise));
                }
                adam.step(vae.weights(), state);
            }
        }
        double after;
        try (NDManager m = root.newSubManager()) {
            after = meanLoss(vae, patterns(m), random, m);
            // 12 pixels at p = 1/2 cost 12·ln 2 ≈ 8.3 nats; the two patterns need about ln 2 of code
            assertTrue(before > 7, "untrained loss " + before);
            assertTrue(after < before / 2, "loss " + before + " -> " + after);
            NDArray samples = vae.sample(200, random, m);
            assertEquals(new Shape(200, 12), samples.getShape());
            float[] s = samples.toFloatArray();
            for (float v : s) {
                assertTrue(v >= 0 && v <= 1, "a Bernoulli mean: " + v);
            }
            // the samples look like the patterns: pixel 4 is on in both, pixel 10 in neither
            double on = 0;
            double off = 0;
            for (int i = 0; i < 200; i++) {
                on += s[i * 12 + 4];
                off += s[i * 12 + 10];
            }
            assertTrue(on / 200 > 0.9 && off / 200 < 0.1, "pixel 4 mean " + on / 200 + ", pixel 10 " + off / 200);
        }
        assertEquals(300, adam.steps());
        // every update zeroes the gradient it used
        for (NDArray w : vae.weights().values()) {
            assertEquals(0f, w.getGradient().abs().sum().getFloat());
        }
    }

    @Test
    void aCopyIsFrozenAndTheSameSeedGivesTheSameAutoencoder() {
        Vae a = Vae.initial(12, 8, 3, new Random(5), root);
        Vae b = Vae.initial(12, 8, 3, new Random(5), root);
        for (String name : a.weights().keySet()) {
            assertArrayEquals(a.weights().get(name).toFloatArray(), b.weights().get(name).toFloatArray(), name);
        }
        Vae copy = a.copy(root);
        float[] before = copy.weights().get("dec2.weight").toFloatArray();
        Adam adam = new Adam(0.1);
        try (NDManager m = root.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(a.loss(patterns(m), Vae.gaussian(16, 3, new Random(1), m)));
            }
            adam.step(a.weights(), root);
        }
        assertArrayEquals(before, copy.weights().get("dec2.weight").toFloatArray());
        assertTrue(copy.weights().values().stream().noneMatch(NDArray::hasGradient));
        float[] moved = a.weights().get("dec2.weight").toFloatArray();
        for (int i = 0; i < moved.length; i++) {
            // Adam's first step moves every weight with a gradient by about η
            assertEquals(0.1, Math.abs(moved[i] - before[i]), 1e-3, "weight " + i);
        }
    }
}
