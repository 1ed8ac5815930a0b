package io.graft.plugin.si;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers Synaptic Intelligence with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=si")
public final class SiFactory implements PluginFactory {

    /**
     * Before the other plugins at every hook, so that {@code transform} observes the gradient of the loss
     * before another gradient transform (A-GEM, a mask) edits it.
     */
    static final int ORDER = -100;

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("si")
            .name("Synaptic Intelligence")
            .description("Penalises moving the weights that mattered for earlier tasks: c·Σ Ω·(θ−θ*)², with an "
                    + "importance Ω accumulated from each weight's path integral −Σ g·Δθ over every task.")
            .contracts(Contract.REGULARIZER, Contract.GRADIENT_TRANSFORM)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(SiSettings.SPEC)
            .order(ORDER)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new SynapticIntelligence(SiSettings.from(config));
    }
}
