package io.graft.plugin.gem;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers GEM with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=gem")
public final class GemFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("gem")
            .name("Gradient Episodic Memory")
            .description("Keeps an episodic memory of every finished task and, whenever a step's gradient g "
                    + "would raise the loss on one of them (g·g_k < 0 for a memory gradient g_k), replaces g "
                    + "by g̃ = g + Gᵀv from the dual quadratic program min ½vᵀGGᵀv + gᵀGᵀv, v >= margin, "
                    + "so that g̃·g_k >= 0 for every earlier task k.")
            .contracts(Contract.GRADIENT_TRANSFORM)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(GemSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new GradientEpisodicMemory(GemSettings.from(config));
    }
}
