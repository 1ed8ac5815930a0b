package io.graft.plugin.ewc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.LinearModelView;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FisherEstimatorTest {

    private static final float[] X = {1f, 2f};
    private static final float[] BIAS = {1f, 0f, -1f};

    private NDManager manager;
    private LinearModelView model;
    private double[] p;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = new LinearModelView(manager, new float[3][2], BIAS);
        double z = 0;
        p = new double[BIAS.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(BIAS[k]);
            z += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= z;
        }
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * For a softmax output with labels drawn from the model, E[(p_k − 1[y=k])²] = p_k·(1 − p_k); the weight
     * gradient is that times x_i, so F_w[k][i] = p_k·(1 − p_k)·x_i².
     */
    @Test
    void perSampleFisherOfLinearSoftmaxMatchesTheExpectation() {
        int n = 4000;
        Map<String, NDArray> fisher = new FisherEstimator(n, 1)
                .estimate(model, ArrayTaskData.repeated(X, n), new Random(7), manager);

        assertEquals(List.of("w", "b", "unused"), List.copyOf(fisher.keySet()));
        float[] fb = fisher.get("b").toFloatArray();
        float[] fw = fisher.get("w").toFloatArray();
        assertArrayEquals(new long[] {3}, fisher.get("b").getShape().getShape());
        assertArrayEquals(new long[] {3, 2}, fisher.get("w").getShape().getShape());
        for (int k = 0; k < 3; k++) {
            double expected = p[k] * (1 - p[k]);
            // four standard errors of a mean of n draws of (p_k − 1[y=k])²
            double m4 = p[k] * Math.pow(1 - p[k], 4) + (1 - p[k]) * Math.pow(p[k], 4);
            double tolerance = 4 * Math.sqrt((m4 - expected * expected) / n);
            assertEquals(expected, fb[k], tolerance, "F_b[" + k + "]");
            for (int i = 0; i < 2; i++) {
                assertEquals(fb[k] * X[i] * X[i], fw[k * 2 + i], 1e-4, "F_w[" + k + "][" + i + "]");
            }
        }
        // the data's own labels (all 0) are not used: with them F_b[0] would be (1 − p_0)²
        assertTrue(Math.abs(fb[0] - Math.pow(1 - p[0], 2)) > 0.05);
        assertArrayEquals(new float[3], fisher.get("unused").toFloatArray(), "no gradient, no Fisher");
    }

    @Test
    void batchedEstimateHasTheSameExpectation() {
        int n = 8000;
        Map<String, NDArray> fisher = new FisherEstimator(n, 20)
                .estimate(model, ArrayTaskData.repeated(X, n), new Random(11), manager);
        float[] fb = fisher.get("b").toFloatArray();
        for (int k = 0; k < 3; k++) {
            double expected = p[k] * (1 - p[k]);
            // (Σ g)²/b over 400 batches: relative standard error about sqrt(2/400) = 7%
            assertEquals(expected, fb[k], 0.3 * expected, "F_b[" + k + "]");
        }
    }

    @Test
    void fisherIsNonNegativeAndShapedLikeTheParameters() {
        LinearModelView trained = new LinearModelView(manager,
                new float[][] {{0.5f, -1f}, {2f, 0.1f}, {-0.3f, 0.7f}}, new float[] {0.2f, -0.1f, 0f});
        float[][] x = new float[50][];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()};
        }
        Map<String, NDArray> fisher = new FisherEstimator(500, 7)
                .estimate(trained, new ArrayTaskData(x, new long[50], 0), new Random(5), manager);
        for (var p : trained.parameters()) {
            NDArray f = fisher.get(p.name());
            assertEquals(p.array().getShape(), f.getShape(), p.name());
            for (float v : f.toFloatArray()) {
                assertTrue(v >= 0 && Float.isFinite(v), p.name() + " " + v);
            }
        }
        assertTrue(fisher.get("w").sum().getFloat() > 0);
    }

    @Test
    void estimateLeavesNoArraysBehindBesidesTheFisher() {
        int before = manager.getManagedArrays().size();
        try (NDManager out = manager.newSubManager()) {
            new FisherEstimator(64, 8).estimate(model, ArrayTaskData.repeated(X, 100), new Random(1), out);
            assertEquals(3, out.getManagedArrays().size());
        }
        assertEquals(before, manager.getManagedArrays().size());
    }
}
