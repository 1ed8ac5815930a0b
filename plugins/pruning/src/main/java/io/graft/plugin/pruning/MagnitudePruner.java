package io.graft.plugin.pruning;

/**
 * Unstructured magnitude pruning (Han et al.; gradual, after Zhu and Gupta): at each stage the surviving
 * weights of smallest absolute value go, per layer or in one global ranking.
 */
public final class MagnitudePruner extends ScheduledPruner {

    /** @param settings the plugin's settings */
    MagnitudePruner(ScheduleSettings settings) {
        super(MagnitudeFactory.ID, settings);
    }

    @Override
    float[] scores(String name) {
        return run().model().parameter(name).array().toFloatArray();
    }
}
