package io.graft.plugin.pruning;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import java.util.Set;

/**
 * The configuration of the lottery ticket pruner and its bound values.
 *
 * @param sparsity share of the pruned weights removed after the last round
 * @param rounds how many prune-and-rewind rounds reach it, each removing the same share of the survivors
 * @param scope whether each round's share holds per layer or over all pruned layers
 * @param rewindStep the step of the first task whose weights the survivors are rewound to (0: the initial ones)
 * @param reinit whether the final ticket starts from the rewound weights or (the control) from random ones
 * @param exclude layers or parameters never pruned
 */
record LotterySettings(double sparsity, int rounds, Scope scope, long rewindStep, Reinit reinit,
                       Set<String> exclude) {

    static final ConfigKey<Double> SPARSITY = ConfigKey.ofDouble("sparsity", 0.8,
                    "share of the weights removed after the last round (0.8 leaves the 20 % ticket); biases are "
                            + "never pruned")
            .require(v -> v > 0 && v < 1, "must be between 0 and 1 (exclusive): 1 or more would empty the layers");

    static final ConfigKey<Integer> ROUNDS = ConfigKey.ofInt("rounds", 3,
                    "prune-and-rewind rounds; the first task's training is cut into rounds + 1 equal parts, a round "
                            + "ending each but the last, which trains the final ticket")
            .require(v -> v >= 1, "must be at least 1");

    static final ConfigKey<Scope> SCOPE = ConfigKey.ofEnum("scope", Scope.class, Scope.LAYER,
            "layer: every weight matrix loses the round's share; global: one ranking over all of them");

    static final ConfigKey<Long> REWIND_STEP = ConfigKey.ofLong("rewindStep", 0,
                    "training steps of the first task after which the weights to rewind to are saved (0: the "
                            + "initial weights, Frankle and Carbin; a few hundred: late rewinding)")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigKey<Reinit> REINIT = ConfigKey.ofEnum("reinit", Reinit.class, Reinit.REWIND,
            "rewind: the ticket restarts from the saved weights; random: the control, the same masks with every "
                    + "parameter drawn afresh after the last round");

    static final ConfigKey<String> EXCLUDE = ConfigKey.ofString("exclude", "",
            "comma-separated layers (out) or parameters (out.weight) left dense, e.g. the head");

    static final ConfigSpec SPEC = ConfigSpec.of(SPARSITY, ROUNDS, SCOPE, REWIND_STEP, REINIT, EXCLUDE);

    static LotterySettings from(PluginConfig config) {
        return new LotterySettings(config.get(SPARSITY), config.get(ROUNDS), config.get(SCOPE),
                config.get(REWIND_STEP), config.get(REINIT), PrunedLayers.parse(config.get(EXCLUDE)));
    }

    /** @return the rounds, one at the end of each of the first {@code rounds} parts of the task */
    PruneClock clock() {
        return new PruneClock(rounds, 1.0 / (rounds + 1), (double) rounds / (rounds + 1));
    }
}
