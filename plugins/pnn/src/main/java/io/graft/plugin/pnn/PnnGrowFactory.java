package io.graft.plugin.pnn;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers progressive neural networks grown column by column at task boundaries. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=pnn-grow")
public final class PnnGrowFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("pnn-grow")
            .name("Progressive Neural Networks, grown")
            .description("The host as configured is the first task's column; at every task boundary (with the "
                    + "task-boundary trigger) a fresh column of the same widths is grown into every hidden layer "
                    + "(StructureEditor.addUnits, function-preserving), reading the earlier columns through lateral "
                    + "connections while they and their heads stay frozen: progressive networks that pay only for the "
                    + "columns grown so far.")
            .contracts(Contract.GROWTH_POLICY, Contract.TASK_MASK, Contract.GRADIENT_TRANSFORM)
            .requires(Requirement.MULTI_HEAD, Requirement.TASK_LABELS_AT_TEST, Requirement.NO_MOMENTUM)
            .protocols(Protocol.TASK_IL)
            .config(io.graft.api.config.ConfigSpec.empty())
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new GrowingColumns();
    }
}
