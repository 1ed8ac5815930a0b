package io.graft.plugin.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** {@link Tensors#scaled}: the factor stays readable until backward, whatever the garbage collector does. */
class ScaledTest {

    @Test
    void gradientsThroughTheFactorSurviveCollectionBeforeBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int round = 0; round < 50; round++) {
                NDArray x = manager.create(new float[] {1f, -2f, 3f});
                x.setRequiresGradient(true);
                try (NDManager step = manager.newSubManager();
                     GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray y = Tensors.scaled(x.mul(step.create(1f)), 0.25).sum();
                    assertEquals(DataType.FLOAT32, y.getDataType(), "a float factor keeps float32");
                    // what freed DJL's own scalar (mul(Number) closes it at once) before backward read it
                    System.gc();
                    byte[][] churn = new byte[64][];
                    for (int i = 0; i < churn.length; i++) {
                        churn[i] = new byte[1 << 16];
                    }
                    collector.backward(y);
                }
                assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, x.getGradient().toFloatArray());
            }
        }
    }
}
