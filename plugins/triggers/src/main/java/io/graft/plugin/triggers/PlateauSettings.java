package io.graft.plugin.triggers;

import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the {@code plateau} trigger and their bound values.
 *
 * @param patience checked steps without improvement that make a plateau
 * @param threshold the margin an improvement must exceed
 * @param thresholdMode whether the margin is relative to the best loss or absolute
 * @param smoothing the weight of the past in the exponential moving average of the loss
 * @param cooldown steps after firing during which the trigger neither fires nor counts stalled steps
 * @param warmup steps at the start of the run and of every task that only feed the moving average
 */
record PlateauSettings(int patience, double threshold, ThresholdMode thresholdMode, double smoothing,
                       int cooldown, int warmup) {

    static final ConfigKey<Integer> PATIENCE = ConfigKey.ofInt("patience", 500,
                    "steps in a row on which the smoothed loss has not improved by more than 'threshold' "
                            + "before the trigger fires")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Double> THRESHOLD = ConfigKey.ofDouble("threshold", 0.01,
                    "the margin by which the smoothed loss must fall below its best to count as an improvement; "
                            + "a fraction of the best loss (relative, below 1) or in loss units (absolute)")
            .require(v -> v >= 0 && Double.isFinite(v), "must be a finite number >= 0");

    static final ConfigKey<ThresholdMode> THRESHOLD_MODE = ConfigKey.ofEnum("thresholdMode", ThresholdMode.class,
            ThresholdMode.RELATIVE, "relative: improved when best − loss > threshold·|best|; "
                    + "absolute: improved when best − loss > threshold");

    static final ConfigKey<Double> SMOOTHING = ConfigKey.ofDouble("smoothing", 0.98,
                    "weight of the past in the moving average of the training loss: "
                            + "avg ← smoothing·avg + (1 − smoothing)·loss; 0 uses each step's loss as it is")
            .require(v -> v >= 0 && v < 1, "must be >= 0 and < 1");

    static final ConfigKey<Integer> COOLDOWN = ConfigKey.ofInt("cooldown", 500,
                    "steps after firing during which the trigger cannot fire and stalled steps are not counted, "
                            + "so the next firing comes at least cooldown + patience steps later")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigKey<Integer> WARMUP = ConfigKey.ofInt("warmup", 100,
                    "steps at the start of the run and of every task that only feed the moving average, "
                            + "before the first comparison with the best loss")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigSpec SPEC = ConfigSpec.of(PATIENCE, THRESHOLD, THRESHOLD_MODE, SMOOTHING, COOLDOWN, WARMUP);

    static PlateauSettings from(PluginConfig config) {
        ThresholdMode mode = config.get(THRESHOLD_MODE);
        double threshold = config.get(THRESHOLD);
        if (mode == ThresholdMode.RELATIVE && threshold >= 1) {
            // best·(1 − threshold) <= 0 cannot be reached by a cross-entropy loss: the trigger would fire
            // after every 'patience' steps whatever the loss does
            throw new ConfigException(THRESHOLD.name(), "'threshold' is a fraction of the best loss with "
                    + "thresholdMode relative and must be < 1, got " + threshold
                    + "; use thresholdMode: absolute for a margin in loss units");
        }
        return new PlateauSettings(config.get(PATIENCE), threshold, mode, config.get(SMOOTHING),
                config.get(COOLDOWN), config.get(WARMUP));
    }
}
