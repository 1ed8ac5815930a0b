package io.graft.plugin.blend;

/**
 * Half a cosine wave, {@code (1 − cos πp) / 2}: alpha leaves {@code from} and arrives at {@code to} with zero
 * slope, so neither the host nor the seed sees a sudden change in rate at either end.
 */
record CosineCurve() implements BlendCurve {

    @Override
    public double at(double progress) {
        // written as ½ + ½·sin(π(p − ½)), equal to (1 − cos πp)/2, because sin(0) is exactly 0: the midpoint is
        // exactly ½ and the curve is point-symmetric around it, where cos(π/2) would leave a 6e-17 residue
        return 0.5 + 0.5 * StrictMath.sin(Math.PI * (progress - 0.5));
    }

    @Override
    public String describe() {
        return "cosine";
    }
}
