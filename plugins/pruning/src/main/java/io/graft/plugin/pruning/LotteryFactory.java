package io.graft.plugin.pruning;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code lottery} pruner with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=lottery")
public final class LotteryFactory implements PluginFactory {

    static final String ID = "lottery";

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder(ID)
            .name("Lottery ticket")
            .description("Iterative magnitude pruning with rewinding (Frankle and Carbin): rounds of training, pruning a share of the surviving weights and rewinding the rest to their early values; reinit: random is the control with the same masks.")
            .contracts(Contract.PRUNER, Contract.TRIGGER_CONDITION)
            .protocols(Protocol.CLASS_IL, Protocol.DOMAIN_IL, Protocol.TASK_IL)
            .config(LotterySettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new LotteryPruner(LotterySettings.from(config));
    }
}
