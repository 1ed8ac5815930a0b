package io.graft.plugin.si;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the Synaptic Intelligence plugin and their bound values.
 *
 * @param c penalty strength in {@code c · Σ Ω·(θ−θ*)²}
 * @param xi damping ξ of the importance {@code ω / (Δ² + ξ)}
 * @param clampNegative whether a task's negative per-weight contributions to Ω are dropped
 */
record SiSettings(double c, double xi, boolean clampNegative) {

    static final ConfigKey<Double> C = ConfigKey.ofDouble("c", 5.0,
                    "penalty strength c of c·Σ Ω·(θ−θ*)²; the penalty's curvature is 2c·Ω, so plain SGD needs "
                            + "lr·c·max(Ω) < 1 and in practice well below (max(Ω), recorded as importance_max at "
                            + "each task end, grows with the tasks)")
            .require(v -> Double.isFinite(v) && v >= 0, "must be a finite number >= 0");

    static final ConfigKey<Double> XI = ConfigKey.ofDouble("xi", 0.1,
                    "damping ξ of the importance ω/(Δ² + ξ), where Δ is how far a weight moved over the task")
            .require(v -> Double.isFinite(v) && v > 0, "must be a finite number > 0");

    static final ConfigKey<Boolean> CLAMP_NEGATIVE = ConfigKey.ofBoolean("clampNegative", true,
            "drop the negative per-weight contributions ω/(Δ² + ξ) of a task (weights whose moves raised the "
                    + "task's loss on balance) instead of letting them lower the importance");

    static final ConfigSpec SPEC = ConfigSpec.of(C, XI, CLAMP_NEGATIVE);

    static SiSettings from(PluginConfig config) {
        return new SiSettings(config.get(C), config.get(XI), config.get(CLAMP_NEGATIVE));
    }
}
