package io.graft.plugin.pnn;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers progressive neural networks with the host: a column per task with lateral connections. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=pnn")
public final class PnnFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("pnn")
            .name("Progressive Neural Networks")
            .description("Cuts every hidden layer into one equal column per task; task t trains column t, which "
                    + "reads the earlier columns through lateral connections, while the earlier columns and "
                    + "their heads stay frozen, so earlier tasks are never forgotten. Columns are preallocated "
                    + "masked blocks of the host (compute cost of the full width).")
            .contracts(Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM)
            .requires(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.NO_MOMENTUM)
            .protocols(Protocol.TASK_IL)
            .config(ColumnSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new ProgressiveColumns(ColumnSettings.from(config), Connectivity.PROGRESSIVE);
    }
}
