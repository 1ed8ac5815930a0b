package io.graft.plugin.hat;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers HAT with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=hat")
public final class HatFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("hat")
            .name("Hard Attention to the Task")
            .description("Learns a gate σ(s·e_t) per hidden unit and task, annealed from soft to almost binary over "
                    + "each task; the gradients of weights into or out of units earlier tasks use are clipped to zero, "
                    + "and a mask-sparsity penalty keeps units free for later tasks.")
            .contracts(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM, Contract.REGULARIZER)
            .requires(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.TASK_BOUNDARIES,
                    Requirement.NO_MOMENTUM)
            .protocols(Protocol.TASK_IL)
            .config(HatSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        HatSettings settings = HatSettings.from(config);
        return new HardAttention(settings, new HatClipping(settings.headClipping()));
    }
}
