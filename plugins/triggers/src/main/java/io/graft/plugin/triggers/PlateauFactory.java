package io.graft.plugin.triggers;

import io.graft.api.Contract;
import io.graft.api.Plugin;
import io.graft.api.PluginDescriptor;
import io.graft.api.PluginFactory;
import io.graft.api.config.PluginConfig;
import org.osgi.service.component.annotations.Component;

/** Registers the {@code plateau} trigger: fires when the smoothed training loss stops improving. */
@Component(service = PluginFactory.class, property = "graft.plugin.id=plateau")
public final class PlateauFactory implements PluginFactory {

    static final PluginDescriptor DESCRIPTOR = PluginDescriptor.builder("plateau")
            .name("Loss plateau trigger")
            .description("Fires when the exponential moving average of the training loss has not improved on "
                    + "its best by more than 'threshold' for 'patience' steps; then waits 'cooldown' steps. "
                    + "Restarts at every task boundary and never fires there.")
            .contracts(Contract.TRIGGER_CONDITION)
            .config(PlateauSettings.SPEC)
            .build();

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Plugin create(PluginConfig config) {
        return new PlateauTrigger(PlateauSettings.from(config));
    }
}
