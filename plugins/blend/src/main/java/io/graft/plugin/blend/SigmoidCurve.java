package io.graft.plugin.blend;

/**
 * A logistic curve {@code σ(k(p − ½))}, slow at both ends and fastest at the midpoint, rescaled so that it
 * starts at exactly 0 and ends at exactly 1. The raw logistic never reaches either (at {@code k = 10} it runs
 * from 0.0067 to 0.9933), which would make alpha jump by that much when the blend starts and ends.
 *
 * @param steepness {@code k}: the larger, the more of the change is packed around the midpoint; near 0 the
 *     curve approaches a straight line
 */
record SigmoidCurve(double steepness) implements BlendCurve {

    SigmoidCurve {
        if (!(steepness > 0) || Double.isInfinite(steepness)) {
            throw new IllegalArgumentException("steepness must be a finite number > 0, got " + steepness);
        }
    }

    @Override
    public double at(double progress) {
        // σ(x) = (1 + tanh(x/2))/2, so the rescaled logistic (σ(k(p−½)) − σ(−k/2)) / (σ(k/2) − σ(−k/2)) is
        // ½ + tanh(k(p−½)/2) / (2·tanh(k/4)); tanh is odd, which keeps the curve exactly symmetric around (½, ½)
        return 0.5 + StrictMath.tanh(steepness * (progress - 0.5) / 2) / (2 * StrictMath.tanh(steepness / 4));
    }

    @Override
    public String describe() {
        return "sigmoid(steepness=" + steepness + ")";
    }
}
