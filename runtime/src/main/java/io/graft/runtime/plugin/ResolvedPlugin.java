package io.graft.runtime.plugin;

import io.graft.api.Plugin;
import io.graft.api.config.PluginConfig;

/**
 * A plugin made for one run: where it came from, its bound configuration and the fresh instance.
 *
 * @param info the registered plugin (id, bundle, version)
 * @param config the bound configuration with defaults filled in
 * @param instance the instance of this run
 * @param name its name in the run (the id unless the config gives another)
 * @param when the triggers it acts on, by name (empty: the shared ones)
 */
public record ResolvedPlugin(PluginInfo info, PluginConfig config, Plugin instance, String name,
                             java.util.List<String> when) {

    /**
     * A plugin under its own id, on the shared triggers.
     *
     * @param info the registered plugin
     * @param config the bound configuration
     * @param instance the instance
     */
    public ResolvedPlugin(PluginInfo info, PluginConfig config, Plugin instance) {
        this(info, config, instance, info.id(), java.util.List.of());
    }
}
