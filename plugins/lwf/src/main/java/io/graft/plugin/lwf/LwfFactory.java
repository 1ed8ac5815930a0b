package io.graft.plugin.lwf;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers LwF with the host: a Declarative Services component offering a {@link PluginFactory}. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=lwf")
public final class LwfFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("lwf")
            .name("Learning without Forgetting")
            .description("Distils the previous tasks' model into the current one: λ·T²·KL(softmax(teacher/T) ‖ "
                    + "softmax(student/T)) on the incoming rows, over the logits of the earlier tasks' classes; "
                    + "the teacher is a snapshot taken at each task start after the first.")
            .contracts(Contract.REGULARIZER)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(LwfSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new LwfRegularizer(LwfSettings.from(config));
    }
}
