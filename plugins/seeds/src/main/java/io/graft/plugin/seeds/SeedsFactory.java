package io.graft.plugin.seeds;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code seeds} growth policy with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=seeds")
public final class SeedsFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("seeds")
            .name("Seeds in slots")
            .description("Each time the trigger fires: culls seeds whose contribution fell below cullBelow, then "
                    + "germinates a seed from its blueprint (residual, linear or conv; last layer zero) in a slot "
                    + "r{row}c{col}; the seed trains on the host's detached activations, is faded in by the run's blend "
                    + "schedule and integrated. perTask: one seed per task, serving that task only.")
            .contracts(Contract.GROWTH_POLICY)
            .config(SeedSettings.SEEDS)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new SeedGrowth(SeedSettings.seeds(config), false);
    }
}
