package ${package};

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/**
 * Registers the plugin with Graft: a Declarative Services component offering a {@link PluginFactory}. Graft
 * reads the descriptor when the bundle starts ({@code graft plugins} lists it) and calls {@code create} once per
 * run with the user's configuration already checked against {@link L2AnchorSettings}.
 */
@Component(service = PluginFactory.class, property = "graft.plugin.id=${pluginId}")
public final class L2AnchorFactory implements PluginFactory {

    /** The id users write in a run config, the contract the instances implement, and the keys they accept. */
    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("${pluginId}")
            .name("L2 anchor")
            .description("Holds the weights near where each task started: strength/2 times the squared distance "
                    + "to the parameters at the start of the task, from the second task on.")
            .contracts(Contract.REGULARIZER)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(L2AnchorSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new L2Anchor(L2AnchorSettings.from(config));
    }
}
