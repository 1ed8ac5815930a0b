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
 * @param herdingCandidates with herding, the most samples per class of a finished task that herding chooses
 *     among (0: all of them)
 */
record ErSettings(int bufferSize, int replayBatch, Selection selection, int herdingCandidates) {

    static final ConfigKey<Integer> BUFFER_SIZE = ConfigKey.ofInt("bufferSize", 500,
                    "samples the replay memory holds (over all tasks)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Integer> REPLAY_BATCH = ConfigKey.ofInt("replayBatch", 32,
                    "remembered samples replayed with each incoming batch (fewer while the memory holds fewer)")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Selection> SELECTION = ConfigKey.ofEnum("selection", Selection.class, Selection.RESERVOIR,
            "which incoming samples the memory keeps: reservoir = a uniform sample of everything seen; "
                    + "class_balanced = an equal share per class seen, a uniform sample within each class; "
                    + "herding = iCaRL exemplars: at each task end, an equal share per class seen, chosen so that "
                    + "their mean feature stays closest to the class mean, the features being the model's "
                    + "L2-normalised logits (no hidden-layer view in this api); nothing is kept during a task");

    static final ConfigKey<Integer> HERDING_CANDIDATES = ConfigKey.ofInt("herdingCandidates", 2000,
                    "with selection herding: training samples per class of a finished task, drawn at random, "
                    + "among which the exemplars are chosen (0 = all of them)")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigSpec SPEC = ConfigSpec.of(BUFFER_SIZE, REPLAY_BATCH, SELECTION, HERDING_CANDIDATES);

    static ErSettings from(PluginConfig config) {
        return new ErSettings(config.get(BUFFER_SIZE), config.get(REPLAY_BATCH), config.get(SELECTION),
                config.get(HERDING_CANDIDATES));
    }
}
