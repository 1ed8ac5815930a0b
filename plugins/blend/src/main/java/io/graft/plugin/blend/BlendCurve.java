package io.graft.plugin.blend;

/**
 * The shape of a blend, normalised: how far alpha has come (0 to 1) when a given fraction of the blend's
 * steps has passed. {@link AlphaSchedule} scales it onto {@code [from, to]} and owns the endpoints, so a
 * curve only has to be non-decreasing on {@code [0, 1]} with {@code at(0) = 0} and {@code at(1) = 1}.
 */
interface BlendCurve {

    /**
     * @param progress steps since the blend began divided by its length, in {@code [0, 1]}
     * @return the fraction of the way from {@code from} to {@code to}, in {@code [0, 1]}
     */
    double at(double progress);

    /** @return the curve and its parameters in words, e.g. {@code sigmoid(steepness=10.0)} */
    String describe();
}
