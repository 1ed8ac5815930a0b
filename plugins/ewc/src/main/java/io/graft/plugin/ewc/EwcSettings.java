package io.graft.plugin.ewc;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the EWC plugin and their bound values.
 *
 * @param lambda penalty strength λ in {@code λ/2 · Σ F·(θ−θ*)²}
 * @param online one running Fisher and a single anchor (online EWC) instead of one pair per task
 * @param gamma decay of the running Fisher in online mode: {@code F ← γ·F + F_new}
 * @param fisherSamples samples of the finished task used to estimate its Fisher
 * @param fisherBatch samples per gradient computation while estimating the Fisher (1 = per-sample)
 */
record EwcSettings(double lambda, boolean online, double gamma, int fisherSamples, int fisherBatch) {

    static final ConfigKey<Double> LAMBDA = ConfigKey.ofDouble("lambda", 100.0,
                    "penalty strength λ of λ/2·Σ F·(θ−θ*)²; with plain SGD keep lr·λ·max(F) below 2")
            .require(v -> Double.isFinite(v) && v >= 0, "must be a finite number >= 0");

    static final ConfigKey<Boolean> ONLINE = ConfigKey.ofBoolean("online", false,
            "online EWC: one running Fisher (F ← γF + F_new) anchored at the latest parameters, "
                    + "instead of one Fisher and anchor per past task");

    static final ConfigKey<Double> GAMMA = ConfigKey.ofDouble("gamma", 1.0,
                    "decay of the running Fisher in online mode (1 = no decay)")
            .require(v -> v >= 0 && v <= 1, "must be between 0 and 1");

    static final ConfigKey<Integer> FISHER_SAMPLES = ConfigKey.ofInt("fisherSamples", 500,
                    "training samples of the finished task drawn to estimate its Fisher (capped at the task's size)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> FISHER_BATCH = ConfigKey.ofInt("fisherBatch", 1,
                    "samples per gradient computation for the Fisher; 1 = exact per-sample squared gradients, "
                            + "larger is faster and noisier but still unbiased (labels are sampled from the model)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigSpec SPEC = ConfigSpec.of(LAMBDA, ONLINE, GAMMA, FISHER_SAMPLES, FISHER_BATCH);

    static EwcSettings from(PluginConfig config) {
        return new EwcSettings(config.get(LAMBDA), config.get(ONLINE), config.get(GAMMA),
                config.get(FISHER_SAMPLES), config.get(FISHER_BATCH));
    }
}
