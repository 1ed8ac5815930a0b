package io.graft.plugin.blend;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers {@code blend-linear} with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=blend-linear")
public final class LinearBlendFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("blend-linear")
            .name("Linear blend schedule")
            .description("Moves alpha from 'from' to 'to' at a constant rate over 'steps' steps, "
                    + "in residual (host + α·module) or interpolative ((1 − α)·host + α·module) mode.")
            .contracts(Contract.BLEND_SCHEDULE)
            .config(BlendSettings.spec())
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new AlphaSchedule(BlendSettings.from(config), new LinearCurve());
    }
}
