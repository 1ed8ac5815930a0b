package io.graft.plugin.ewc;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers EWC with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=ewc")
public final class EwcFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("ewc")
            .name("Elastic Weight Consolidation")
            .description("Penalises moving the weights that mattered for earlier tasks: λ/2·Σ F·(θ−θ*)², "
                    + "with a diagonal Fisher F estimated at each task's end (per task, or one running Fisher online).")
            .contracts(Contract.REGULARIZER)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(EwcSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new EwcRegularizer(EwcSettings.from(config));
    }
}
