package io.graft.plugin.der;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers DER++ (logit matching plus β-weighted cross-entropy on the replayed rows) with the host. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=derpp")
public final class DerppFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("derpp")
            .name("DER++")
            .description("Dark Experience Replay with the replayed rows' labels: logit matching weighted by alpha "
                    + "plus their cross-entropy weighted by beta.")
            .contracts(Contract.REHEARSAL, Contract.REGULARIZER)
            .config(DerSettings.DERPP_SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new DarkExperienceReplay(DerSettings.derpp(config));
    }
}
