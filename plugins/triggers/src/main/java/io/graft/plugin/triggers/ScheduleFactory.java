package io.graft.plugin.triggers;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code schedule} trigger: fires after listed steps or every k steps of the run. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=schedule")
public final class ScheduleFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("schedule")
            .name("Fixed schedule trigger")
            .description("Fires after the listed steps of the run ('steps: 1000, 2000') or after every 'every' "
                    + "steps; never at a task boundary call.")
            .contracts(Contract.TRIGGER_CONDITION)
            .config(ScheduleSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new ScheduleTrigger(ScheduleSettings.from(config));
    }
}
