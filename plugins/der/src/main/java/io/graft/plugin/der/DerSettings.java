package io.graft.plugin.der;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration of DER and DER++ and its bound values.
 *
 * @param bufferSize samples the memory holds
 * @param replayBatch remembered samples replayed per step
 * @param alpha weight α of the logit-matching term
 * @param beta weight β of the replayed rows' cross-entropy (0 for DER)
 */
record DerSettings(int bufferSize, int replayBatch, double alpha, double beta) {

    static final ConfigKey<Integer> BUFFER_SIZE = ConfigKey.ofInt("bufferSize", 500,
                    "samples the memory holds, with their logits (over all tasks)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> REPLAY_BATCH = ConfigKey.ofInt("replayBatch", 32,
                    "remembered samples replayed with each incoming batch (fewer while the memory holds fewer)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Double> ALPHA = ConfigKey.ofDouble("alpha", 0.1,
                    "weight of the logit matching: alpha * mean over replayed rows of ||logits - stored logits||^2")
            .require(v -> v >= 0 && Double.isFinite(v), "must be a finite number >= 0");

    static final ConfigKey<Double> BETA = ConfigKey.ofDouble("beta", 1.0,
                    "weight of the replayed rows' cross-entropy relative to an incoming row's (DER++)")
            .require(v -> v >= 0 && Double.isFinite(v), "must be a finite number >= 0");

    /** DER: no cross-entropy on replayed rows, so no beta. */
    static final ConfigSpec DER_SPEC = ConfigSpec.of(BUFFER_SIZE, REPLAY_BATCH, ALPHA);

    static final ConfigSpec DERPP_SPEC = ConfigSpec.of(BUFFER_SIZE, REPLAY_BATCH, ALPHA, BETA);

    static DerSettings der(PluginConfig config) {
        return new DerSettings(config.get(BUFFER_SIZE), config.get(REPLAY_BATCH), config.get(ALPHA), 0);
    }

    static DerSettings derpp(PluginConfig config) {
        return new DerSettings(config.get(BUFFER_SIZE), config.get(REPLAY_BATCH), config.get(ALPHA),
                config.get(BETA));
    }
}
