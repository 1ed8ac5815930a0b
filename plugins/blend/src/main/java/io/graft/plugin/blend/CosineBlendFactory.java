package io.graft.plugin.blend;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers {@code blend-cosine} with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=blend-cosine")
public final class CosineBlendFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("blend-cosine")
            .name("Cosine blend schedule")
            .description("Moves alpha from 'from' to 'to' along half a cosine wave, (1 − cos πp)/2 of the way "
                    + "after a fraction p of 'steps', so the rate of change is zero at both ends.")
            .contracts(Contract.BLEND_SCHEDULE)
            .config(BlendSettings.spec())
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new AlphaSchedule(BlendSettings.from(config), new CosineCurve());
    }
}
