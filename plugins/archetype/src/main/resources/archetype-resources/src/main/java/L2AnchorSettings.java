package ${package};

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the plugin and their bound values. Graft binds a run config's
 * {@code plugins: - config: {...}} to {@link #SPEC} before training and refuses an unknown key, a wrong type or
 * a broken rule with one line naming the key.
 *
 * @param strength the penalty's strength λ in {@code λ/2 · Σ (θ − θ*)²}
 * @param metricEvery steps between two recordings of the penalty's value
 */
record L2AnchorSettings(double strength, int metricEvery) {

    static final ConfigKey<Double> STRENGTH = ConfigKey.ofDouble("strength", 1.0,
                    "strength λ of λ/2·Σ(θ−θ*)², θ* the weights at the start of the task; "
                            + "with plain SGD keep lr·λ below 2")
            .require(v -> Double.isFinite(v) && v >= 0, "must be a finite number >= 0");

    static final ConfigKey<Integer> METRIC_EVERY = ConfigKey.ofInt("metricEvery", 50,
                    "steps between two recordings of the penalty in metrics.jsonl (reading it costs a device sync)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigSpec SPEC = ConfigSpec.of(STRENGTH, METRIC_EVERY);

    static L2AnchorSettings from(PluginConfig config) {
        return new L2AnchorSettings(config.get(STRENGTH), config.get(METRIC_EVERY));
    }
}
