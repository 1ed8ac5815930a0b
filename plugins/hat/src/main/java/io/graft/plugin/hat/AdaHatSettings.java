package io.graft.plugin.hat;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration of AdaHAT: HAT's keys plus the adjustment's.
 *
 * @param hat the keys shared with HAT
 * @param mode the adjustment mode
 * @param alpha the adjustment intensity α of {@code r = α/(ε + sparsity)}
 * @param epsilon ε of that rate (keeps it finite when the sparsity is 0)
 */
record AdaHatSettings(HatSettings hat, AdjustmentMode mode, double alpha, double epsilon) {

    static final ConfigKey<AdjustmentMode> MODE = ConfigKey.ofEnum("mode", AdjustmentMode.class, AdjustmentMode.ADAHAT,
            "adahat: importance from the summative mask and sparsity in the rate; adahat_no_sum: the task's number "
                    + "(from 1) as every parameter's importance; adahat_no_reg: r = alpha/epsilon");

    static final ConfigKey<Double> ALPHA = ConfigKey.ofDouble("alpha", 1e-6,
                    "adjustment intensity α: gradients are scaled by r/(m + r), r = α/(ε + network sparsity)")
            .require(v -> v > 0, "must be > 0");

    static final ConfigKey<Double> EPSILON = ConfigKey.ofDouble("epsilon", 0.1,
                    "ε added to the network sparsity in r = α/(ε + sparsity)")
            .require(v -> v > 0, "must be > 0");

    static final ConfigSpec SPEC = ConfigSpec.of(HatSettings.S_MAX, HatSettings.THRES_COSH, HatSettings.C,
            HatSettings.EMBEDDING_LR, HatSettings.EMBEDDING_BOUND, HatSettings.HEAD_CLIPPING, MODE, ALPHA, EPSILON);

    static AdaHatSettings from(PluginConfig config) {
        return new AdaHatSettings(HatSettings.from(config), config.get(MODE), config.get(ALPHA), config.get(EPSILON));
    }
}
