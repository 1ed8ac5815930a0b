package io.graft.plugin.gem;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the GEM plugin and their bound values.
 *
 * @param memoryPerTask samples remembered of every finished task
 * @param margin the paper's bias γ: the dual variables are bounded below by it, so a projected gradient keeps
 *     at least {@code γ·g_k} of every earlier task's gradient; 0 gives the exact Euclidean projection
 */
record GemSettings(int memoryPerTask, double margin) {

    static final ConfigKey<Integer> MEMORY_PER_TASK = ConfigKey.ofInt("memoryPerTask", 100,
                    "samples remembered of every finished task (drawn at random from its training data at its "
                            + "end); each step computes one extra gradient per earlier task on its memory")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Double> MARGIN = ConfigKey.ofDouble("margin", 0.5,
                    "the paper's margin γ (its 'memory strength', 0.5 in its code): when a projection is needed "
                            + "the dual variables v are bounded by v >= γ instead of v >= 0, which biases the "
                            + "update towards the earlier tasks' gradients; every constraint g̃·g_k >= 0 still "
                            + "holds. 0 gives the exact closest vector satisfying them")
            .require(v -> v >= 0 && Double.isFinite(v), "must be a finite number >= 0");

    static final ConfigSpec SPEC = ConfigSpec.of(MEMORY_PER_TASK, MARGIN);

    static GemSettings from(PluginConfig config) {
        return new GemSettings(config.get(MEMORY_PER_TASK), config.get(MARGIN));
    }
}
