package io.graft.runtime.plugin;

import io.graft.api.Plugin;
import io.graft.api.config.PluginConfig;

/**
 * A plugin made for one run: where it came from, its bound configuration and the fresh instance.
 *
 * @param info the registered plugin (id, bundle, version)
 * @param config the bound configuration with defaults filled in
 * @param instance the instance of this run
 */
public record ResolvedPlugin(PluginInfo info, PluginConfig config, Plugin instance) {}
