package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;

/** Test helper: random images and a few plain SGD steps on a host in training mode, outside the kernel. */
final class ConvTraining {

    private ConvTraining() {}

    static NDArray images(NDManager manager, Random r, int n, int[] shape) {
        float[] x = new float[n * shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return manager.create(x, new Shape(n, x.length / n));
    }

    /** Takes {@code steps} SGD steps on random images and labels, so BatchNorm's statistics and the velocity move. */
    static void train(Host host, Sgd sgd, NDManager manager, Random r, int steps, int[] shape) {
        for (int s = 0; s < steps; s++) {
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = images(sm, r, 8, shape);
                long[] y = new long[8];
                for (int i = 0; i < y.length; i++) {
                    y[i] = r.nextInt(host.outputs());
                }
                NDArray labels = sm.create(y);
                host.collecting(true);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray logits = host.forward(x, ForwardMasks.NONE, true);
                    collector.backward(logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1).mean().neg());
                } finally {
                    host.collecting(false);
                }
                host.captureGradients(sm);
                sgd.step(host.hostParameters());
                host.releaseGradients();
            }
        }
    }

    static float maxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Float.POSITIVE_INFINITY;
        }
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
