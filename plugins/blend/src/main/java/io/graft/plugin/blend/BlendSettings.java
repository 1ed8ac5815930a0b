package io.graft.plugin.blend;

import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import io.graft.api.growth.BlendMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration keys every blend schedule shares and their bound values.
 *
 * @param steps how many steps the blend lasts
 * @param from alpha when the blend begins
 * @param to alpha when it is over
 * @param mode how alpha combines host and module
 */
record BlendSettings(long steps, double from, double to, BlendMode mode) {

    static final ConfigKey<Long> STEPS = ConfigKey.ofLong("steps", 1000,
                    "training steps the blend lasts: alpha is 'from' at step 0 of the blend, 'to' from this step on")
            .require(v -> v >= 1, "must be >= 1 (a blend needs a duration)");

    static final ConfigKey<Double> FROM = alpha("from", 0, "alpha when the blend begins (0: the module has no effect)");

    static final ConfigKey<Double> TO = alpha("to", 1, "alpha when the blend is over (1: fully blended in)");

    static final ConfigKey<BlendMode> MODE = ConfigKey.ofEnum("mode", BlendMode.class, BlendMode.RESIDUAL,
            "residual: host + α·module (the module adds a correction); interpolative: (1 − α)·host + α·module "
                    + "(the module replaces the host; at α = 0.5 the host's output is halved); gated: host + α·g(x)·module "
                    + "with a learned input-dependent gate g (the learned blend: the kernel adds and trains the gate)");

    /**
     * @param shapeKeys the keys of one curve, after the shared ones
     * @return the spec of a blend schedule with that curve
     */
    static ConfigSpec spec(ConfigKey<?>... shapeKeys) {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(STEPS, FROM, TO, MODE));
        keys.addAll(List.of(shapeKeys));
        return ConfigSpec.of(keys.toArray(ConfigKey<?>[]::new));
    }

    /**
     * @param config a configuration bound with a {@link #spec}
     * @return the shared values
     * @throws ConfigException when alpha would not rise from 'from' to 'to'
     */
    static BlendSettings from(PluginConfig config) {
        double from = config.get(FROM);
        double to = config.get(TO);
        if (!(to > from)) {
            throw new ConfigException("to", "'to' must be above 'from' (a blend moves alpha up, within [0, 1]), got from "
                    + from + ", to " + to);
        }
        return new BlendSettings(config.get(STEPS), from, to, config.get(MODE));
    }

    private static ConfigKey<Double> alpha(String name, double defaultValue, String description) {
        return ConfigKey.ofDouble(name, defaultValue, description)
                .require(v -> v >= 0 && v <= 1, "must be an alpha in [0, 1]");
    }
}
