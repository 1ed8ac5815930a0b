package io.graft.plugin.net2net;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the {@code deepen} policy and their bound values.
 *
 * @param layer the hidden layer after which identity layers are inserted, or {@link #LAST}
 * @param maxDepth the number of hidden layers beyond which the policy inserts no more
 */
record DeepenSettings(String layer, int maxDepth) {

    /** Inserts after the last hidden layer at the time of each growth. */
    static final String LAST = "last";

    static final ConfigKey<String> LAYER = ConfigKey.ofString("layer", LAST,
                    "the hidden layer after which an identity layer is inserted (e.g. fc1), or 'last' (the last"
                            + " hidden layer at each growth); a name is checked against the network when the policy acts")
            .require(v -> !v.isBlank(), "must name a hidden layer or 'last'");

    static final ConfigKey<Integer> MAX_DEPTH = ConfigKey.ofInt("maxDepth", 3,
                    "hidden layers the network may reach; at it the policy does nothing")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigSpec SPEC = ConfigSpec.of(LAYER, MAX_DEPTH);

    static DeepenSettings from(PluginConfig config) {
        return new DeepenSettings(config.get(LAYER).trim(), config.get(MAX_DEPTH));
    }
}
