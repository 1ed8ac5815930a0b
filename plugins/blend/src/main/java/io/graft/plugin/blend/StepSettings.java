package io.graft.plugin.blend;

import io.graft.api.config.ConfigException;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;

/**
 * The keys that place a step schedule's jumps: either {@code stages} equal jumps or explicit {@code at} points,
 * never both, because a config that gives both would silently lose one of them.
 */
final class StepSettings {

    static final ConfigKey<Integer> STAGES = ConfigKey.ofInt("stages", 0,
                    "number of equal jumps, the last one at 'steps' (stages: 4 gives 0, ¼, ½, ¾ of the way, then 'to'); "
                            + "give this or 'at'")
            .require(v -> v >= 0, "must be >= 1 when given");

    static final ConfigKey<String> AT = ConfigKey.ofString("at", "",
            "jump points as fractions of 'steps', rising within (0, 1], comma-separated (at: 0.3, 0.6, 1; quote a "
                    + "single one: at: '0.5'); alpha moves an equal share at each; give this or 'stages'");

    private StepSettings() {}

    /**
     * @param config a configuration bound with {@code BlendSettings.spec(STAGES, AT)}
     * @return the step curve it describes
     * @throws ConfigException when neither or both keys are given, or 'at' is not a rising list in (0, 1]
     */
    static StepCurve curve(PluginConfig config) {
        int stages = config.get(STAGES);
        String at = config.get(AT).trim();
        if (stages > 0 && !at.isEmpty()) {
            throw new ConfigException("at", "give 'stages' (equal jumps) or 'at' (jump points), not both");
        }
        if (stages > 0) {
            return StepCurve.evenly(stages);
        }
        if (at.isEmpty()) {
            throw new ConfigException("stages", "a step blend needs 'stages' (number of equal jumps, e.g. stages: 4) "
                    + "or 'at' (jump points as fractions of 'steps', e.g. at: 0.3, 0.6, 1)");
        }
        return new StepCurve(jumpPoints(at));
    }

    private static double[] jumpPoints(String at) {
        String[] parts = at.split(",");
        double[] jumps = new double[parts.length];
        double previous = 0;
        for (int i = 0; i < parts.length; i++) {
            double jump;
            try {
                jump = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                jump = Double.NaN;
            }
            if (!(jump > previous && jump <= 1)) {
                throw new ConfigException("at", "'at' must be fractions of 'steps' rising strictly within (0, 1], "
                        + "e.g. 0.3, 0.6, 1; got '" + at + "'");
            }
            jumps[i] = jump;
            previous = jump;
        }
        return jumps;
    }
}
