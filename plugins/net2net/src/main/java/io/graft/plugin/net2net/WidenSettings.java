package io.graft.plugin.net2net;

import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * The configuration keys of the {@code widen} policy, their bound values, and the width they lead to.
 *
 * @param layer a hidden layer's name, {@link #NARROWEST} or {@link #ALL}
 * @param factor the width is multiplied by this at each growth (when {@code units} is 0)
 * @param units units added at each growth; 0 to grow by {@code factor}
 * @param maxWidth no layer is widened beyond this
 * @param noise standard deviation of the noise on the copied units' incoming weights (0: exact copies)
 * @param spread how unequally a replicated unit's outgoing weights are shared among its copies (0: equally)
 */
record WidenSettings(String layer, double factor, int units, int maxWidth, double noise, double spread) {

    /**
     * Equal shares of the outgoing weights.
     *
     * @param layer the layer rule
     * @param factor the growth factor
     * @param units units added per growth
     * @param maxWidth the cap
     * @param noise the noise on the copies' incoming weights
     */
    WidenSettings(String layer, double factor, int units, int maxWidth, double noise) {
        this(layer, factor, units, maxWidth, noise, 0.0);
    }

    /** Widens the hidden layer that is narrowest when the policy acts (the first of equals). */
    static final String NARROWEST = "narrowest";
    /** Widens every hidden layer. */
    static final String ALL = "all";

    static final ConfigKey<String> LAYER = ConfigKey.ofString("layer", NARROWEST,
                    "the hidden layer to widen (e.g. fc1), 'narrowest' (the narrowest hidden layer at each growth) or"
                            + " 'all'; a name is checked against the network when the policy acts")
            .require(v -> !v.isBlank(), "must name a hidden layer, 'narrowest' or 'all'");

    static final ConfigKey<Double> FACTOR = ConfigKey.ofDouble("factor", 2.0,
                    "each growth multiplies the width by this, rounded to the nearest unit and at least one unit more")
            .require(v -> v > 1 && Double.isFinite(v), "must be a finite number > 1");

    static final ConfigKey<Integer> UNITS = ConfigKey.ofInt("units", 0,
                    "units added at each growth instead of multiplying by factor; 0 grows by factor")
            .require(v -> v >= 0, "must be >= 0");

    static final ConfigKey<Integer> MAX_WIDTH = ConfigKey.ofInt("maxWidth", 512,
                    "no layer grows beyond this many units; a growth that would is cut to it, and at it the policy"
                            + " does nothing")
            .require(v -> v >= 1, "must be >= 1");

    static final ConfigKey<Double> NOISE = ConfigKey.ofDouble("noise", 0.0,
                    "standard deviation of Gaussian noise on the copied units' incoming weights: 0 keeps the function"
                            + " exactly but the copies then stay identical under SGD; a little (e.g. 0.01) lets them"
                            + " diverge and become capacity")
            .require(v -> v >= 0 && Double.isFinite(v), "must be a finite number >= 0");

    static final ConfigKey<Double> SPREAD = ConfigKey.ofDouble("spread", 0.0,
                    "how unequally a replicated unit's outgoing weights are shared among its copies, in [0, 1): 0 "
                            + "shares equally (Net2Net); more keeps the function exact and still lets the copies "
                            + "diverge, since each sees gradients in proportion to its share")
            .require(v -> v >= 0 && v < 1, "must be in [0, 1)");

    static final ConfigSpec SPEC = ConfigSpec.of(LAYER, FACTOR, UNITS, MAX_WIDTH, NOISE, SPREAD);

    static WidenSettings from(PluginConfig config) {
        return new WidenSettings(config.get(LAYER).trim(), config.get(FACTOR), config.get(UNITS),
                config.get(MAX_WIDTH), config.get(NOISE), config.get(SPREAD));
    }

    /**
     * @param width a layer's width now
     * @return its width after one growth, at most {@code maxWidth}; {@code width} itself when at the cap
     */
    int nextWidth(int width) {
        long grown = units > 0 ? (long) width + units : Math.max(width + 1L, Math.round(width * factor));
        return (int) Math.max(width, Math.min(grown, maxWidth));
    }
}
