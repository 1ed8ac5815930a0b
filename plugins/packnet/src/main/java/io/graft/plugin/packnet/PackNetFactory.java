package io.graft.plugin.packnet;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers PackNet with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=packnet")
public final class PackNetFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("packnet")
            .name("PackNet")
            .description("Packs tasks into one network: each task keeps the largest-magnitude share of the weights "
                    + "it found free and owns them from then on; task t sees only the weights of tasks 0..t and "
                    + "trains only its own, so earlier tasks never change.")
            .contracts(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM)
            .requires(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.TASK_BOUNDARIES,
                    Requirement.NO_MOMENTUM)
            .protocols(Protocol.TASK_IL)
            .config(PackNetSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new PackNet(PackNetSettings.from(config));
    }
}
