package io.graft.plugin.pruning;

/** How the sparsity target rises from 0 to its final value over the pruning stages. */
public enum SparsityRamp {
    /**
     * Zhu and Gupta's gradual schedule: stage k of n reaches {@code s·(1 − (1 − k/n)³)}, pruning hard while the
     * network has many redundant weights and gently near the end.
     */
    CUBIC,
    /** every stage removes the same share of the weights still alive: stage k of n keeps {@code (1 − s)^(k/n)} */
    GEOMETRIC;

    /**
     * The sparsity to reach at a stage.
     *
     * @param stage the stage, 1 to {@code stages}
     * @param stages how many stages there are
     * @param sparsity the final sparsity
     * @return the stage's target, equal to {@code sparsity} at the last stage
     */
    public double target(int stage, int stages, double sparsity) {
        if (stage >= stages) {
            return sparsity;
        }
        double progress = (double) stage / stages;
        return switch (this) {
            case CUBIC -> sparsity * (1 - Math.pow(1 - progress, 3));
            case GEOMETRIC -> 1 - Math.pow(1 - sparsity, progress);
        };
    }
}
