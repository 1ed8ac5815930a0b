package io.graft.plugin.packnet;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the PackNet plugin and their bound values.
 *
 * @param pruneRatio share of a task's free weights released at its pruning, per layer
 * @param pruneAt share of the task's training steps after which it is pruned; the rest retrains what it kept
 * @param pruneLastTask whether the scenario's last task is pruned too (no later task needs its free weights)
 */
record PackNetSettings(double pruneRatio, double pruneAt, boolean pruneLastTask) {

    static final ConfigKey<Double> PRUNE_RATIO = ConfigKey.ofDouble("pruneRatio", 0.75,
                    "share of the weights a task found free that it releases when pruned, per layer (the smallest "
                            + "magnitudes go); a task keeps 1 - pruneRatio of what was free, so larger values leave "
                            + "more room to later tasks")
            .require(v -> v > 0 && v < 1, "must be between 0 and 1 (exclusive)");

    static final ConfigKey<Double> PRUNE_AT = ConfigKey.ofDouble("pruneAt", 0.7,
                    "share of a task's training steps (epochs × batches) after which the task is pruned; the "
                            + "remaining steps retrain only the weights it kept (1 = prune after the last step, "
                            + "no retraining)")
            .require(v -> v > 0 && v <= 1, "must be in (0, 1]");

    static final ConfigKey<Boolean> PRUNE_LAST_TASK = ConfigKey.ofBoolean("pruneLastTask", false,
            "prune the scenario's last task as well; by default it keeps every weight still free, since no later "
                    + "task needs them");

    static final ConfigSpec SPEC = ConfigSpec.of(PRUNE_RATIO, PRUNE_AT, PRUNE_LAST_TASK);

    static PackNetSettings from(PluginConfig config) {
        return new PackNetSettings(config.get(PRUNE_RATIO), config.get(PRUNE_AT), config.get(PRUNE_LAST_TASK));
    }

    /**
     * The step after which a task of {@code taskSteps} steps is pruned.
     *
     * @param taskSteps the task's training steps
     * @return how many steps train before the pruning, from 1 to {@code taskSteps}
     */
    long pruneAfter(long taskSteps) {
        return Math.max(1, Math.min(taskSteps, Math.round(pruneAt * taskSteps)));
    }
}
