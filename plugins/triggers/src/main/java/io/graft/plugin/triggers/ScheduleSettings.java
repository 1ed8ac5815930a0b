package io.graft.plugin.triggers;

import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the {@code schedule} trigger and their bound values: exactly one of {@code steps}
 * and {@code every}.
 *
 * @param steps the steps to fire at, increasing; empty when {@code every} is used
 * @param every fire at every multiple of this step; 0 when {@code steps} is used
 */
record ScheduleSettings(long[] steps, long every) {

    static final ConfigKey<String> STEPS = ConfigKey.ofString("steps", "",
                    "the steps to fire at, counted in the run from 1, increasing and separated by commas: "
                            + "steps: 1000, 2000 (or a single step: steps: 1000)")
            .require(v -> v.isBlank() || StepList.parse(v).isPresent(),
                    "must list whole steps >= 1 in increasing order separated by commas, e.g. 1000, 2000");

    static final ConfigKey<Long> EVERY = ConfigKey.ofLong("every", 0,
                    "fire at every multiple of this many steps of the run (instead of 'steps'); 0 when 'steps' is used")
            .require(v -> v >= 0, "must be >= 1 (or 0 when 'steps' is used)");

    static final ConfigSpec SPEC = ConfigSpec.of(STEPS, EVERY);

    static ScheduleSettings from(PluginConfig config) {
        String steps = config.get(STEPS);
        long every = config.get(EVERY);
        if (!steps.isBlank() && every > 0) {
            throw new ConfigException(EVERY.name(), "'every' and 'steps' exclude each other; keep one of them");
        }
        if (steps.isBlank() && every == 0) {
            throw new ConfigException(STEPS.name(), "'steps' lists no step; give the steps to fire at, "
                    + "e.g. steps: 1000, 2000, or a period, e.g. every: 500");
        }
        return new ScheduleSettings(steps.isBlank() ? new long[0] : StepList.parse(steps).orElseThrow(), every);
    }
}
