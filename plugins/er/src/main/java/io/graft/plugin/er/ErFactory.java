package io.graft.plugin.er;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers experience replay with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=er")
public final class ErFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("er")
            .name("Experience Replay")
            .description("Keeps a reservoir sample of every training sample seen (or, with selection "
                    + "class_balanced, an equal share per class; or, with selection herding, iCaRL's exemplars "
                    + "chosen at each task end from the model's L2-normalised logits) and replays a random batch "
                    + "of it beside each incoming batch.")
            .contracts(Contract.REHEARSAL)
            .config(ErSettings.SPEC)
            // the saved buffer: samples, labels, tasks, seen count and the draw pool; a change of these renames it
            .stateFormat("er-buffer/2")
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new ExperienceReplay(ErSettings.from(config));
    }
}
