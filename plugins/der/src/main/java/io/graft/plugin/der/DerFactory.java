package io.graft.plugin.der;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers Dark Experience Replay (logit matching only) with the host. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=der")
public final class DerFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("der")
            .name("Dark Experience Replay")
            .description("Keeps a reservoir sample of the stream with the logits the model gave each sample when "
                    + "it was seen, replays a batch of it beside each incoming batch and matches the replayed "
                    + "rows' logits to the stored ones (their cross-entropy is removed from the loss).")
            .contracts(Contract.REHEARSAL, Contract.REGULARIZER)
            .config(DerSettings.DER_SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new DarkExperienceReplay(DerSettings.der(config));
    }
}
