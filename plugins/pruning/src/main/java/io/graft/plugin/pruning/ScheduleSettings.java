package io.graft.plugin.pruning;

import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import java.util.Set;

/**
 * The configuration of the gradual pruners ({@code magnitude}, {@code gradient}) and its bound values.
 *
 * @param sparsity share of the pruned weights removed after the last stage
 * @param scope whether the share holds per layer or over all pruned layers
 * @param stages how many pruning stages reach it
 * @param begin share of the first task's steps after which the first stage prunes
 * @param end share after which the last stage prunes; the steps after it retrain the survivors
 * @param ramp how the target rises over the stages
 * @param exclude layers or parameters never pruned
 */
record ScheduleSettings(double sparsity, Scope scope, int stages, double begin, double end, SparsityRamp ramp,
                        Set<String> exclude) {

    static final ConfigKey<Double> SPARSITY = ConfigKey.ofDouble("sparsity", 0.9,
                    "share of the weights removed once every stage has pruned (0.9 keeps one weight in ten); biases "
                            + "are never pruned")
            .require(v -> v > 0 && v < 1, "must be between 0 and 1 (exclusive): 1 or more would empty the layers");

    static final ConfigKey<Scope> SCOPE = ConfigKey.ofEnum("scope", Scope.class, Scope.LAYER,
            "layer: every weight matrix reaches the sparsity; global: one ranking over all of them, so layers end "
                    + "as sparse as their weights deserve");

    static final ConfigKey<Integer> STAGES = ConfigKey.ofInt("stages", 10,
                    "how many pruning stages reach the sparsity, spread evenly from begin to end")
            .require(v -> v >= 1, "must be at least 1");

    static final ConfigKey<Double> BEGIN = ConfigKey.ofDouble("begin", 0.2,
                    "share of the first task's training steps after which the first stage prunes")
            .require(v -> v > 0 && v <= 1, "must be in (0, 1]");

    static final ConfigKey<Double> END = ConfigKey.ofDouble("end", 0.6,
                    "share of the first task's training steps after which the last stage prunes; the steps after it "
                            + "let the pruned network recover")
            .require(v -> v > 0 && v <= 1, "must be in (0, 1]");

    static final ConfigKey<SparsityRamp> RAMP = ConfigKey.ofEnum("ramp", SparsityRamp.class, SparsityRamp.CUBIC,
            "cubic: Zhu and Gupta's schedule, s·(1 − (1 − k/n)³) at stage k of n; geometric: every stage removes "
                    + "the same share of the surviving weights");

    static final ConfigKey<String> EXCLUDE = ConfigKey.ofString("exclude", "",
            "comma-separated layers (out) or parameters (out.weight) left dense, e.g. the head");

    static final ConfigSpec SPEC = ConfigSpec.of(SPARSITY, SCOPE, STAGES, BEGIN, END, RAMP, EXCLUDE);

    static ScheduleSettings from(PluginConfig config) {
        double begin = config.get(BEGIN);
        double end = config.get(END);
        if (end < begin) {
            throw new ConfigException(END.name(), "'end' must not come before 'begin' (" + begin
                    + "), got " + end);
        }
        return new ScheduleSettings(config.get(SPARSITY), config.get(SCOPE), config.get(STAGES), begin, end,
                config.get(RAMP), PrunedLayers.parse(config.get(EXCLUDE)));
    }

    /** @return a clock for these stages */
    PruneClock clock() {
        return new PruneClock(stages, begin, end);
    }
}
