package io.graft.plugin.triggers;

/** How far the smoothed loss must fall below its best for a step to count as an improvement. */
enum ThresholdMode {
    /** By more than {@code threshold·|best|}: the same setting suits losses of any scale. */
    RELATIVE {
        @Override
        boolean improves(double candidate, double best, double threshold) {
            return best - candidate > threshold * Math.abs(best);
        }
    },
    /** By more than {@code threshold}, in the loss's own units. */
    ABSOLUTE {
        @Override
        boolean improves(double candidate, double best, double threshold) {
            return best - candidate > threshold;
        }
    };

    /**
     * @param candidate the smoothed loss now
     * @param best the lowest smoothed loss so far
     * @param threshold the margin, read as this mode says
     * @return whether {@code candidate} beats {@code best} by more than the margin
     */
    abstract boolean improves(double candidate, double best, double threshold);
}
