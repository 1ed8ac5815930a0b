package io.graft.plugin.triggers;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the {@code task-boundary} trigger and their bound values.
 *
 * @param every fire at every this many counted task ends
 * @param skipFirst whether the end of the first task is left out, neither firing nor counted
 */
record TaskBoundarySettings(int every, boolean skipFirst) {

    static final ConfigKey<Integer> EVERY = ConfigKey.ofInt("every", 1,
                    "fire at every this many task ends: 1 at each, 2 at the end of the 2nd, 4th, ... task")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Boolean> SKIP_FIRST = ConfigKey.ofBoolean("skipFirst", false,
            "leave out the end of the first task: it neither fires nor counts, so every: 2 then fires at the "
                    + "end of the 3rd, 5th, ... task");

    static final ConfigSpec SPEC = ConfigSpec.of(EVERY, SKIP_FIRST);

    static TaskBoundarySettings from(PluginConfig config) {
        return new TaskBoundarySettings(config.get(EVERY), config.get(SKIP_FIRST));
    }
}
