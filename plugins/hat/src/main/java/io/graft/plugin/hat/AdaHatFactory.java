package io.graft.plugin.hat;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers AdaHAT with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=adahat")
public final class AdaHatFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("adahat")
            .name("Adaptive Hard Attention to the Task")
            .description("HAT's per-task unit gates and mask-sparsity penalty, with the hard clipping replaced by a "
                    + "soft adjustment: gradients scaled by r/(m + r), m the parameter's importance from the summative "
                    + "mask of earlier tasks, r = alpha/(epsilon + network sparsity) of its layer.")
            .contracts(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM, Contract.REGULARIZER)
            .requires(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.TASK_BOUNDARIES,
                    Requirement.NO_MOMENTUM)
            .protocols(Protocol.TASK_IL)
            .config(AdaHatSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        AdaHatSettings settings = AdaHatSettings.from(config);
        return new HardAttention(settings.hat(), new AdaptiveAdjustment(settings));
    }
}
