package io.graft.plugin.er;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the experience-replay plugin and their bound values.
 *
 * @param bufferSize how many samples the memory holds
 * @param replayBatch how many remembered samples are replayed beside each incoming batch
 * @param selection which incoming samples are kept
 */
record ErSettings(int bufferSize, int replayBatch, Selection selection) {

    static final ConfigKey<Integer> BUFFER_SIZE = ConfigKey.ofInt("bufferSize", 500,
                    "samples the replay memory holds (over all tasks)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> REPLAY_BATCH = ConfigKey.ofInt("replayBatch", 32,
                    "remembered samples replayed with each incoming batch (fewer while the memory holds fewer)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Selection> SELECTION = ConfigKey.ofEnum("selection", Selection.class, Selection.RESERVOIR,
            "which incoming samples the memory keeps: reservoir = a uniform sample of everything seen; "
                    + "class_balanced = an equal share per class seen, a uniform sample within each class");

    static final ConfigSpec SPEC = ConfigSpec.of(BUFFER_SIZE, REPLAY_BATCH, SELECTION);

    static ErSettings from(PluginConfig config) {
        return new ErSettings(config.get(BUFFER_SIZE), config.get(REPLAY_BATCH), config.get(SELECTION));
    }
}
