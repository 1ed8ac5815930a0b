package io.graft.plugin.triggers;

import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the {@code budget} guard and their bound values; 0 means no limit, and at least
 * one limit must be set.
 *
 * @param maxParameters the guard holds while the network has fewer scalar weights than this
 * @param maxFlops the guard holds while a forward pass of one sample costs fewer floating-point operations
 */
record BudgetSettings(long maxParameters, long maxFlops) {

    static final ConfigKey<Long> MAX_PARAMETERS = ConfigKey.ofLong("maxParameters", 0,
                    "the guard holds while the network's scalar weights (biases included) are fewer than this; "
                            + "0 for no parameter limit")
            .require(v -> v >= 0, "must be >= 0 (0 for no limit)");

    static final ConfigKey<Long> MAX_FLOPS = ConfigKey.ofLong("maxFlops", 0,
                    "the guard holds while a forward pass of one sample costs fewer floating-point operations "
                            + "than this, counted as 2 per parameter (exact for a dense MLP's weights, an upper "
                            + "bound by one per bias); 0 for no FLOP limit")
            .require(v -> v >= 0, "must be >= 0 (0 for no limit)");

    static final ConfigSpec SPEC = ConfigSpec.of(MAX_PARAMETERS, MAX_FLOPS);

    static BudgetSettings from(PluginConfig config) {
        long parameters = config.get(MAX_PARAMETERS);
        long flops = config.get(MAX_FLOPS);
        if (parameters == 0 && flops == 0) {
            throw new ConfigException(MAX_PARAMETERS.name(), "'maxParameters' (or 'maxFlops') must be set: "
                    + "a budget without a limit would always hold, e.g. maxParameters: 100000");
        }
        return new BudgetSettings(parameters, flops);
    }
}
