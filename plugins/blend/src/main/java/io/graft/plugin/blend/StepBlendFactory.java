package io.graft.plugin.blend;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers {@code blend-step} with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=blend-step")
public final class StepBlendFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("blend-step")
            .name("Step blend schedule")
            .description("Moves alpha from 'from' to 'to' in equal jumps, held between them: 'stages' evenly spaced "
                    + "jumps ending at 'steps', or jumps at the fractions of 'steps' listed in 'at'.")
            .contracts(Contract.BLEND_SCHEDULE)
            .config(BlendSettings.spec(StepSettings.STAGES, StepSettings.AT))
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new AlphaSchedule(BlendSettings.from(config), StepSettings.curve(config));
    }
}
