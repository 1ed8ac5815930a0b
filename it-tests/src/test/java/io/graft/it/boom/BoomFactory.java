package io.graft.it.boom;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;

/**
 * A faulty plugin for the it-tests, packed into a bundle at test time by {@link BoomBundle}: a
 * {@link io.graft.api.regularization.Regularizer} whose penalty throws once the run reaches step
 * {@code failAfter}. Loaded by the bundle's class loader inside the distribution's Felix, never used directly
 * by the tests.
 */
public class BoomFactory implements PluginFactory {

    /** The global step at which {@code penalty} throws. */
    static final ConfigKey<Integer> FAIL_AFTER = ConfigKey.ofInt("failAfter", 20,
            "the step at which penalty() throws").require(v -> v >= 0, "must be >= 0");

    /** What it does at {@code failAfter}: throw, return a NaN penalty, or hang. */
    static final ConfigKey<String> MODE = ConfigKey.ofString("mode", "throw",
            "throw, nan or hang at failAfter").require(v -> v.equals("throw") || v.equals("nan") || v.equals("hang"),
            "must be throw, nan or hang");

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("boom")
            .name("Boom")
            .description("A regularizer whose penalty throws (or turns NaN, or hangs) after failAfter steps.")
            .contracts(Contract.REGULARIZER)
            .config(ConfigSpec.of(FAIL_AFTER, MODE))
            .build();

    /** Declarative Services needs a public no-argument constructor. */
    public BoomFactory() {}

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new BoomRegularizer(config.get(FAIL_AFTER), config.get(MODE));
    }
}
