package io.graft.plugin.agem;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the A-GEM plugin and their bound values.
 *
 * @param memorySize samples the episodic memory holds over all finished tasks
 * @param sampleSize memory samples drawn per step for the reference gradient
 */
record AgemSettings(int memorySize, int sampleSize) {

    static final ConfigKey<Integer> MEMORY_SIZE = ConfigKey.ofInt("memorySize", 500,
                    "samples the episodic memory holds in all; every finished task keeps an equal share "
                            + "(memorySize / finished tasks, drawn at random from its training data at its end)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> SAMPLE_SIZE = ConfigKey.ofInt("sampleSize", 256,
                    "memory samples drawn (without replacement) at each step for the reference gradient; "
                            + "the whole memory while it holds fewer")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigSpec SPEC = ConfigSpec.of(MEMORY_SIZE, SAMPLE_SIZE);

    static AgemSettings from(PluginConfig config) {
        return new AgemSettings(config.get(MEMORY_SIZE), config.get(SAMPLE_SIZE));
    }
}
