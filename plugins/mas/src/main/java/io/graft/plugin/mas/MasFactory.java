package io.graft.plugin.mas;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers Memory Aware Synapses with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=mas")
public final class MasFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("mas")
            .name("Memory Aware Synapses")
            .description("Penalises moving the weights that the network's output is most sensitive to: "
                    + "λ·Σ Ω·(θ−θ*)², with Ω the mean |∂‖f(x)‖²/∂θ| on samples of each finished task, summed over tasks.")
            .contracts(Contract.REGULARIZER)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(MasSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new MemoryAwareSynapses(MasSettings.from(config));
    }
}
