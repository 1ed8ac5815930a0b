package io.graft.plugin.net2net;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code widen} growth policy with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=widen")
public final class WidenFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("widen")
            .name("Net2Net widening")
            .description("Net2Net widening: each time the trigger fires, a hidden layer (or the narrowest, or all) "
                    + "grows by a factor or a number of units up to maxWidth; each new unit copies a random existing "
                    + "unit and the outgoing weights of the copied unit are shared among its copies, so the function is "
                    + "unchanged (up to the optional noise).")
            .contracts(Contract.GROWTH_POLICY)
            .config(WidenSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new Widening(WidenSettings.from(config));
    }
}
