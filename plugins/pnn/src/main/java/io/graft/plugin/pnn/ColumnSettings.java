package io.graft.plugin.pnn;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the column plugins ({@code pnn}, {@code independent}) and their bound values.
 *
 * @param columns the number of equal columns the hidden layers are cut into; 0 for one per task
 */
record ColumnSettings(int columns) {

    static final ConfigKey<Integer> COLUMNS = ConfigKey.ofInt("columns", 0,
                    "number of equal columns each hidden layer is cut into (task t trains column t); 0 for one "
                            + "per task. Every width of model.hidden must be divisible by it, and it must be at "
                            + "least the number of tasks")
            .require(v -> v >= 0, "must be >= 0 (0: one column per task)");

    static final ConfigSpec SPEC = ConfigSpec.of(COLUMNS);

    static ColumnSettings from(PluginConfig config) {
        return new ColumnSettings(config.get(COLUMNS));
    }
}
