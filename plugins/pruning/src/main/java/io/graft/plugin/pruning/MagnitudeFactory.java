package io.graft.plugin.pruning;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code magnitude} pruner with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=magnitude")
public final class MagnitudeFactory implements PluginFactory {

    static final String ID = "magnitude";

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder(ID)
            .name("Magnitude pruning")
            .description("Unstructured magnitude pruning of the weight matrices, per layer or global, reached gradually over stages on its own schedule (cubic, Zhu and Gupta, or geometric); biases are never pruned.")
            .contracts(Contract.PRUNER, Contract.TRIGGER_CONDITION)
            .protocols(Protocol.CLASS_IL, Protocol.DOMAIN_IL, Protocol.TASK_IL)
            .config(ScheduleSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new MagnitudePruner(ScheduleSettings.from(config));
    }
}
