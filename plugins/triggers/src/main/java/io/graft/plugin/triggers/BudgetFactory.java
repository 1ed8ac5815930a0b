package io.graft.plugin.triggers;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code budget} guard: true while the network is below a parameter or FLOP budget. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=budget")
public final class BudgetFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("budget")
            .name("Capacity budget guard")
            .description("True while the network has fewer than 'maxParameters' scalar weights and costs fewer "
                    + "than 'maxFlops' forward FLOPs per sample (2 per parameter); a guard to combine with an "
                    + "event trigger such as plateau.")
            .contracts(Contract.TRIGGER_CONDITION)
            .config(BudgetSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new BudgetTrigger(BudgetSettings.from(config));
    }
}
