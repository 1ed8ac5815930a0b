package io.graft.plugin.seeds;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import io.graft.api.growth.Blueprint;
import io.graft.api.growth.SeedPlan;

/**
 * The configuration keys of the {@code seeds} and {@code branch} policies and their bound values.
 *
 * @param blueprint what each seed is made of
 * @param where which slot each seed goes to
 * @param trainingSteps steps a seed trains on its shadow path before blending
 * @param blend the blend schedule's plugin id, or empty for the run's only one
 * @param isolateHost whether the host is frozen while a seed trains and blends (seed-only steps)
 * @param perTask whether each seed is germinated at a task boundary for the next task and serves only it
 * @param freezeHost whether every hidden layer is frozen from the first germination on
 * @param cullBelow seeds whose measured contribution falls below this are culled; NaN: never
 * @param embargo steps a culled seed's slot stays embargoed
 * @param maxSeeds live seeds at most; 0: as many as the grid holds
 */
record SeedSettings(Blueprint blueprint, SlotChoice where, long trainingSteps, String blend, boolean isolateHost,
                    boolean perTask, boolean freezeHost, double cullBelow, long embargo, int maxSeeds) {

    static final ConfigKey<String> BLUEPRINT = ConfigKey.ofString("blueprint", "residual",
                    "the seed module: residual (dense w -> hidden -> w), linear (dense w -> w) or conv (3x3 convolutions"
                            + " C -> hidden -> C, for slots after convolutional blocks)")
            .require(v -> v.equals("residual") || v.equals("linear") || v.equals("conv"),
                    "must be residual, linear or conv");

    static final ConfigKey<Integer> HIDDEN = ConfigKey.ofInt("hidden", 32,
                    "inner width (residual) or channels (conv) of a seed")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Boolean> ZERO_INIT = ConfigKey.ofBoolean("zeroInit", true,
            "whether a seed's last layer starts at zero, so that germination leaves the function exactly unchanged");

    static final ConfigKey<String> SLOT = ConfigKey.ofString("slot", SlotChoice.AUTO,
                    "the slot r{row}c{col} every seed goes to, or auto: the first dormant slot of 'row'")
            .require(v -> v.equals(SlotChoice.AUTO) || v.matches("r\\d+c\\d+"), "must be auto or of the form r{row}c{col}");

    static final ConfigKey<String> ROW = ConfigKey.ofString("row", "last",
            "for slot auto: the row (depth) seeds go to: last, first or a row index from 0");

    static final ConfigKey<Long> TRAINING_STEPS = ConfigKey.ofLong("trainingSteps", 200,
                    "steps a seed trains on the host's detached activations (alpha 0) before it is blended in")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigKey<String> BLEND = ConfigKey.ofString("blend", "",
            "the id of the blend schedule plugin that fades seeds in (empty: the run's only blend schedule)");

    static final ConfigKey<Boolean> ISOLATE_HOST = ConfigKey.ofBoolean("isolateHost", false,
            "freeze the whole host while a seed trains and blends (seed-only steps; BatchNorm in eval mode)");

    static final ConfigKey<Boolean> PER_TASK = ConfigKey.ofBoolean("perTask", false,
            "germinate one seed at each task boundary for the next task; it serves that task only (task labels needed)");

    static final ConfigKey<Boolean> FREEZE_HOST = ConfigKey.ofBoolean("freezeHost", false,
            "freeze every hidden layer of the host from the first germination on (the head keeps training)");

    static final ConfigKey<Double> CULL_BELOW = ConfigKey.ofDouble("cullBelow", Double.NaN,
            "cull a seed whose measured contribution (probe accuracy with minus without it) is below this, e.g. 0;"
                    + " unset: never cull");

    static final ConfigKey<Long> EMBARGO = ConfigKey.ofLong("embargo", 500,
                    "steps a culled seed's slot cools down before it can receive a seed again")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigKey<Integer> MAX_SEEDS = ConfigKey.ofInt("maxSeeds", 0,
                    "live seeds at most (0: as many as the grid holds)")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigSpec SEEDS = ConfigSpec.of(BLUEPRINT, HIDDEN, ZERO_INIT, SLOT, ROW, TRAINING_STEPS, BLEND,
            ISOLATE_HOST, PER_TASK, FREEZE_HOST, CULL_BELOW, EMBARGO, MAX_SEEDS);

    static final ConfigSpec BRANCH = ConfigSpec.of(BLUEPRINT, HIDDEN, SLOT, ROW, MAX_SEEDS);

    static SeedSettings seeds(PluginConfig c) {
        return new SeedSettings(blueprint(c).withZeroInit(c.get(ZERO_INIT)), where(c), c.get(TRAINING_STEPS),
                c.get(BLEND).trim(), c.get(ISOLATE_HOST), c.get(PER_TASK), c.get(FREEZE_HOST), c.get(CULL_BELOW),
                c.get(EMBARGO), c.get(MAX_SEEDS));
    }

    /** A branch: zero-initialised, grafted at once, no training stage, no blend, never culled. */
    static SeedSettings branch(PluginConfig c) {
        return new SeedSettings(blueprint(c), where(c), 0, "", false, false, false, Double.NaN, 0, c.get(MAX_SEEDS));
    }

    private static Blueprint blueprint(PluginConfig c) {
        return Blueprint.of(c.get(BLUEPRINT), c.get(HIDDEN));
    }

    private static SlotChoice where(PluginConfig c) {
        return new SlotChoice(c.get(SLOT).trim(), c.get(ROW).trim());
    }

    /**
     * @param task the task the seed serves, or -1
     * @param branch whether it is grafted at once
     * @return the plan of a seed germinated now
     */
    SeedPlan plan(int task, boolean branch) {
        SeedPlan.Builder b = SeedPlan.builder().task(task);
        if (branch) {
            return b.graftAtOnce().build();
        }
        b.trainingSteps(trainingSteps).isolateHost(isolateHost);
        if (!blend.isEmpty()) {
            b.blend(blend);
        }
        return b.build();
    }
}
