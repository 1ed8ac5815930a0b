package io.graft.plugin.triggers;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.Requirement;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code task-boundary} trigger: fires when a task ends (every k-th, optionally not the first). */
@Component(service = PluginFactory.class, property = "graft.plugin.id=task-boundary")
public final class TaskBoundaryFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("task-boundary")
            .name("Task boundary trigger")
            .description("Fires at the end of every 'every'-th task, optionally leaving out the first task's end; "
                    + "never after an ordinary step.")
            .contracts(Contract.TRIGGER_CONDITION)
            .requires(Requirement.TASK_BOUNDARIES)
            .config(TaskBoundarySettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new TaskBoundaryTrigger(TaskBoundarySettings.from(config));
    }
}
