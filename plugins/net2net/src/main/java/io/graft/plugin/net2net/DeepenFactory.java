package io.graft.plugin.net2net;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code deepen} growth policy with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=deepen")
public final class DeepenFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("deepen")
            .name("Identity layer insertion (Net2DeeperNet)")
            .description("Net2DeeperNet: each time the trigger fires, an identity-initialised hidden layer is inserted "
                    + "after a hidden layer (the last by default) until the network has maxDepth hidden layers; the "
                    + "ReLU outputs it receives are non-negative, so the function is unchanged.")
            .contracts(Contract.GROWTH_POLICY)
            .config(DeepenSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new Deepening(DeepenSettings.from(config));
    }
}
