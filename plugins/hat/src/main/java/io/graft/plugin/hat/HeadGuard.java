package io.graft.plugin.hat;

import java.util.Set;

/**
 * The factors that freeze the head rows of earlier tasks' classes and, with {@link HeadClipping#UNITS}, scale its
 * columns by a per-unit factor of the last hidden layer.
 */
final class HeadGuard {

    private HeadGuard() {}

    /**
     * @param head the head layer
     * @param earlierClasses rows to freeze
     * @param columns factor per input unit, or {@code null} for 1
     * @return row-major {@code (outputs, inputs)} factors of the head's weight gradient
     */
    static float[] weights(LayerChain.Layer head, Set<Integer> earlierClasses, float[] columns) {
        float[] f = new float[head.units() * head.inputs()];
        for (int i = 0; i < head.units(); i++) {
            boolean frozen = earlierClasses.contains(i);
            for (int j = 0; j < head.inputs(); j++) {
                f[i * head.inputs() + j] = frozen ? 0 : columns == null ? 1 : columns[j];
            }
        }
        return f;
    }

    /**
     * @param head the head layer
     * @param earlierClasses rows to freeze
     * @return factors of the head's bias gradient
     */
    static float[] bias(LayerChain.Layer head, Set<Integer> earlierClasses) {
        float[] f = new float[head.units()];
        for (int i = 0; i < f.length; i++) {
            f[i] = earlierClasses.contains(i) ? 0 : 1;
        }
        return f;
    }

    /**
     * @param factors some factors
     * @return whether they are all 1 (nothing to multiply)
     */
    static boolean allOnes(float[] factors) {
        for (float v : factors) {
            if (v != 1) {
                return false;
            }
        }
        return true;
    }
}
