package io.graft.plugin.pruning;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Protocol;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code structured} pruner with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=structured")
public final class StructuredFactory implements PluginFactory {

    static final ConfigKey<Double> SPARSITY = ConfigKey.ofDouble("sparsity", 0.5,
                    "share of every hidden layer's units removed once every stage has pruned (0.5 halves them)")
            .require(v -> v > 0 && v < 1, "must be between 0 and 1 (exclusive): 1 or more would empty the layers");

    static final ConfigSpec SPEC = ConfigSpec.of(SPARSITY, ScheduleSettings.STAGES, ScheduleSettings.BEGIN,
            ScheduleSettings.END, ScheduleSettings.RAMP);

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder(StructuredPruner.ID)
            .name("Structured neuron pruning")
            .description("Switches off whole hidden units, those with the smallest L2 norm of incoming weights, "
                    + "gradually over stages on its own schedule; with model.shrink: true the kernel removes them "
                    + "physically, the next layer's inputs with them.")
            .contracts(Contract.PRUNER, Contract.TRIGGER_CONDITION)
            .protocols(Protocol.CLASS_IL, Protocol.DOMAIN_IL, Protocol.TASK_IL)
            .config(SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        double begin = config.get(ScheduleSettings.BEGIN);
        double end = config.get(ScheduleSettings.END);
        if (end < begin) {
            throw new io.graft.api.config.ConfigException(ScheduleSettings.END.name(), "'end' must not come before"
                    + " 'begin' (" + begin + "), got " + end);
        }
        return new StructuredPruner(config.get(SPARSITY), config.get(ScheduleSettings.RAMP),
                new PruneClock(config.get(ScheduleSettings.STAGES), begin, end));
    }
}
