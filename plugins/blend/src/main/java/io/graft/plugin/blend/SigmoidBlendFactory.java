package io.graft.plugin.blend;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers {@code blend-sigmoid} with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=blend-sigmoid")
public final class SigmoidBlendFactory implements PluginFactory {

    static final ConfigKey<Double> STEEPNESS = ConfigKey.ofDouble("steepness", 10,
                    "k in σ(k(p − ½)): the larger, the more of the change is packed around the midpoint "
                            + "(near 0: almost linear)")
            .require(v -> v > 0 && !Double.isInfinite(v), "must be a finite number > 0");

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("blend-sigmoid")
            .name("Sigmoid blend schedule")
            .description("Moves alpha from 'from' to 'to' along a logistic curve σ(k(p − ½)) rescaled to start and end "
                    + "exactly at the endpoints: slow at both ends, fastest at the midpoint of 'steps'.")
            .contracts(Contract.BLEND_SCHEDULE)
            .config(BlendSettings.spec(STEEPNESS))
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new AlphaSchedule(BlendSettings.from(config), new SigmoidCurve(config.get(STEEPNESS)));
    }
}
