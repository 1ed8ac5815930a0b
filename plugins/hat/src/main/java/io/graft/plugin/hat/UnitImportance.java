package io.graft.plugin.hat;

/**
 * Turns a per-unit measure (a cumulative or summative mask) into a per-parameter one on the host: a weight
 * {@code w_ij} from unit {@code j} of the layer below to unit {@code i} takes {@code min(m_i, m_j)} (HAT's
 * {@code min(a_i^l, a_j^{l−1})}, AdaHAT's "min" aggregation); the input side of the first layer and the output
 * side of the head have no units, so only the other side counts; a bias takes {@code m_i}.
 */
final class UnitImportance {

    private UnitImportance() {}

    /**
     * @param outSide the measure of the layer's own units, or {@code null} (the head)
     * @param inSide the measure of the units below, or {@code null} (the first layer)
     * @param units the layer's output width
     * @param inputs its input width
     * @return row-major {@code (units, inputs)} measure, or {@code null} when neither side has units
     */
    static float[] weights(float[] outSide, float[] inSide, int units, int inputs) {
        if (outSide == null && inSide == null) {
            return null;
        }
        float[] m = new float[units * inputs];
        for (int i = 0; i < units; i++) {
            for (int j = 0; j < inputs; j++) {
                float v;
                if (outSide == null) {
                    v = inSide[j];
                } else if (inSide == null) {
                    v = outSide[i];
                } else {
                    v = Math.min(outSide[i], inSide[j]);
                }
                m[i * inputs + j] = v;
            }
        }
        return m;
    }

    /**
     * @param measure a measure
     * @return {@code 1 − measure}, element-wise
     */
    static float[] complement(float[] measure) {
        float[] c = new float[measure.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = 1 - measure[i];
        }
        return c;
    }
}
