package io.graft.plugin.triggers;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.ConfigKey;
import io.graft.api.config.ConfigSpec;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code contribution} trigger: fires when a live seed's counterfactual contribution is below a threshold. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=contribution")
public final class ContributionFactory implements PluginFactory {

    static final ConfigKey<Double> BELOW = ConfigKey.ofDouble("below", 0.0,
            "fire when a live seed's last measured contribution (probe accuracy with the seed minus without it, in eval"
                    + " mode) is below this");

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("contribution")
            .name("Counterfactual contribution trigger")
            .description("Fires when some trained seed's measured contribution, the network's accuracy on the kernel's "
                    + "probe batch with the seed minus without it (eval mode, BatchNorm statistics untouched), is below "
                    + "'below': the event a culling policy acts on.")
            .contracts(Contract.TRIGGER_CONDITION)
            .config(ConfigSpec.of(BELOW))
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new ContributionTrigger(config.get(BELOW));
    }
}
