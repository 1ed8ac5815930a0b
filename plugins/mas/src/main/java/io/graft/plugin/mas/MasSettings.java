package io.graft.plugin.mas;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the Memory Aware Synapses plugin and their bound values.
 *
 * @param lambda penalty strength λ in {@code λ · Σ Ω·(θ−θ*)²}
 * @param samples training samples of the finished task used to estimate its importance
 * @param batch samples per gradient computation while estimating it (1 = per-sample, exact)
 */
record MasSettings(double lambda, int samples, int batch) {

    static final ConfigKey<Double> LAMBDA = ConfigKey.ofDouble("lambda", 0.05,
                    "penalty strength λ of λ·Σ Ω·(θ−θ*)²; the penalty's curvature is 2λ·Ω, so plain SGD needs "
                            + "lr·λ·max(Ω) < 1 (max(Ω), recorded as importance_max at each task end, grows with every "
                            + "task because the tasks' importances are summed)")
            .require(v -> Double.isFinite(v) && v >= 0, "must be a finite number >= 0");

    static final ConfigKey<Integer> SAMPLES = ConfigKey.ofInt("samples", 500,
                    "training samples of the finished task drawn to estimate its importance (capped at the task's size)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> BATCH = ConfigKey.ofInt("batch", 1,
                    "samples per gradient computation for the importance; 1 = the exact mean of per-sample "
                            + "|∂‖f(x)‖²/∂θ|, larger is faster but takes |·| of a batch mean, which is smaller")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigSpec SPEC = ConfigSpec.of(LAMBDA, SAMPLES, BATCH);

    static MasSettings from(PluginConfig config) {
        return new MasSettings(config.get(LAMBDA), config.get(SAMPLES), config.get(BATCH));
    }
}
