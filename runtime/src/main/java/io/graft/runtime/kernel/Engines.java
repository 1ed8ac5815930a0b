package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** The few engine-specific operations the kernel needs, with generic fallbacks for other engines. */
final class Engines {

    private Engines() {}

    /**
     * @param manager a manager
     * @return whether it belongs to DJL's PyTorch engine
     */
    static boolean isPyTorch(NDManager manager) {
        return "PyTorch".equals(manager.getEngine().getEngineName());
    }

    /**
     * Turns PyTorch's autograd recording off on the calling thread. PyTorch's grad mode is per thread and
     * DJL switches it off only on the thread that loaded the engine; a forward pass outside a
     * {@code GradientCollector} on another thread would otherwise record a graph (slow, and in-place updates of
     * parameters would fail). A collector turns it on and, on close, back to what it was.
     *
     * @param manager a manager of the engine in use
     */
    static void disableGradMode(NDManager manager) {
        if (isPyTorch(manager)) {
            JniUtils.setGradMode(false);
        }
    }

    /**
     * Sets the gradient of a parameter to zero in place (a no-op while it has none).
     *
     * @param parameter a parameter array that requires a gradient
     */
    static void zeroGradient(NDArray parameter) {
        if (parameter instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
            return;
        }
        NDArray g = parameter.getGradient();
        if (g != null) {
            g.muli(0);
        }
    }
}
