package io.graft.plugin.seeds;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code branch} growth policy with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=branch")
public final class BranchFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("branch")
            .name("Zero-initialised branches")
            .description("Each time the trigger fires, grafts a zero-initialised branch (residual, linear or conv "
                    + "block whose last layer is zero) into a slot at once: the function is unchanged, and the branch "
                    + "trains with the host from the next step.")
            .contracts(Contract.GROWTH_POLICY)
            .config(SeedSettings.BRANCH)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new SeedGrowth(SeedSettings.branch(config), true);
    }
}
