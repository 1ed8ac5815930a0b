package io.graft.plugin.pruning;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code gradient} pruner with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=gradient")
public final class GradientFactory implements PluginFactory {

    static final String ID = "gradient";

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder(ID)
            .name("Gradient-importance pruning")
            .description("Unstructured pruning by first-order Taylor importance |w·g| summed over the steps since the last stage (Molchanov et al.), per layer or global, on the same schedule as magnitude.")
            .contracts(Contract.PRUNER, Contract.TRIGGER_CONDITION, Contract.GRADIENT_TRANSFORM)
            .protocols(Protocol.CLASS_IL, Protocol.DOMAIN_IL, Protocol.TASK_IL)
            .config(ScheduleSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new GradientPruner(ScheduleSettings.from(config));
    }
}
