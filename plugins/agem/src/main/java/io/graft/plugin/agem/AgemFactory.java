package io.graft.plugin.agem;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers A-GEM with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=agem")
public final class AgemFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("agem")
            .name("Averaged Gradient Episodic Memory")
            .description("Keeps an episodic memory of earlier tasks' samples and, whenever a step's gradient g "
                    + "would raise the loss on a sample of it (g·g_ref < 0), projects g onto the half-space "
                    + "g·g_ref >= 0: g ← g − (g·g_ref / g_ref·g_ref)·g_ref.")
            .contracts(Contract.GRADIENT_TRANSFORM)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(AgemSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new AveragedGem(AgemSettings.from(config));
    }
}
