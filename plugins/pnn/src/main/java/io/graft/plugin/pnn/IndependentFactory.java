package io.graft.plugin.pnn;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/**
 * Registers independent per-task models with the host: progressive columns without lateral connections, the
 * no-transfer, no-forgetting bound that progressive networks are compared with.
 */
@Component(service = PluginFactory.class, property = "graft.plugin.id=independent")
public final class IndependentFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("independent")
            .name("Independent per-task models")
            .description("Cuts every hidden layer into one equal column per task with no connection between "
                    + "columns; task t trains its own column and head, earlier ones stay frozen. Columns are "
                    + "preallocated masked blocks of the host (compute cost of the full width).")
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
        return new ProgressiveColumns(ColumnSettings.from(config), Connectivity.INDEPENDENT);
    }
}
