package io.graft.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MlpHostTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        Engines.disableGradMode(manager);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void namesShapesAndInitialisation() {
        MlpHost h = new MlpHost(manager, 784, List.of(256, 128), 10, 1);
        assertEquals(List.of("fc1", "fc2", "out"), h.layers());
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "out.weight", "out.bias"),
                h.parameters().stream().map(p -> p.name()).toList());
        assertEquals(new Shape(256, 784), h.parameter("fc1.weight").array().getShape());
        assertEquals(784L * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, h.parameterCount());
        float bound = (float) (1 / Math.sqrt(784));
        float[] w = h.parameter("fc1.weight").array().toFloatArray();
        float max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertEquals(bound, max, bound * 0.01);
        MlpHost same = new MlpHost(manager, 784, List.of(256, 128), 10, 1);
        assertArrayEquals(w, same.parameter("fc1.weight").array().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> h.parameter("nope"));
    }

    @Test
    void gradientsMatchHandComputedOnesAndLeaveTheStepsGradientsAlone() {
        // one linear layer: logits = x W^T + b; loss = sum(logits * C)
        // dL/dW[k][i] = sum_n C[n][k] x[n][i];  dL/db[k] = sum_n C[n][k]
        MlpHost h = new MlpHost(manager, 3, List.of(), 2, 4);
        float[][] x = {{1, 2, 3}, {-1, 0.5f, 2}};
        float[][] c = {{1, -2}, {3, 0.5f}};
        NDArray features = manager.create(x);
        NDArray weights = manager.create(c);

        // gradients of a step in progress
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(h.forward(features).sum().mul(7));
        }
        float[] stepW = h.parameter("out.weight").array().getGradient().toFloatArray();
        float[] stepB = h.parameter("out.bias").array().getGradient().toFloatArray();

        Map<String, NDArray> g = h.gradients(features, logits -> logits.mul(weights).sum(), manager);
        assertEquals(List.of("out.weight", "out.bias"), List.copyOf(g.keySet()));
        float[] expectW = new float[6];
        float[] expectB = new float[2];
        for (int k = 0; k < 2; k++) {
            for (int n = 0; n < 2; n++) {
                expectB[k] += c[n][k];
                for (int i = 0; i < 3; i++) {
                    expectW[k * 3 + i] += c[n][k] * x[n][i];
                }
            }
        }
        assertArrayEquals(expectW, g.get("out.weight").toFloatArray(), 1e-5f);
        assertArrayEquals(expectB, g.get("out.bias").toFloatArray(), 1e-5f);
        assertArrayEquals(stepW, h.parameter("out.weight").array().getGradient().toFloatArray(), 0f);
        assertArrayEquals(stepB, h.parameter("out.bias").array().getGradient().toFloatArray(), 0f);
        assertArrayEquals(new float[] {7 * 2, 7 * 2}, stepB, 1e-5f);
    }

    @Test
    void gradientsRefuseInsideTheStepScope() {
        MlpHost h = new MlpHost(manager, 3, List.of(), 2, 4);
        h.collecting(true);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> h.gradients(manager.ones(new Shape(1, 3)), NDArray::sum, manager));
        assertEquals(true, e.getMessage().contains("Regularizer.penalty"));
    }

    @Test
    void sgdUpdatesWithMomentumAndZeroesTheGradient() {
        MlpHost h = new MlpHost(manager, 2, List.of(), 1, 4);
        HostParameter b = h.parameter("out.bias");
        float b0 = b.array().getFloat(0);
        Sgd sgd = new Sgd(0.5, 0.9, manager);
        NDArray x = manager.create(new float[][] {{1, 1}});
        float expected = b0;
        float v = 0;
        for (int step = 0; step < 3; step++) {
            try (NDManager sm = manager.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(h.forward(x).sum().mul(2)); // d/db = 2
                }
                h.captureGradients(sm);
                sgd.step(h.hostParameters());
                h.releaseGradients();
            }
            v = 0.9f * v + 0.5f * 2;
            expected -= v;
            assertEquals(expected, b.array().getFloat(0), 1e-5);
            assertEquals(0f, b.array().getGradient().getFloat(0), "gradient zeroed after the step");
        }
        assertEquals(v, sgd.state().get("out.bias").getFloat(0), 1e-5);
    }
}
