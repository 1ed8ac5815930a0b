package io.graft.runtime.plugin;

import io.graft.api.PluginDescriptor;

/**
 * A registered plugin as listed by {@code graft plugins} and recorded in a run's summary.
 *
 * @param id the id used in configs
 * @param version the version of the bundle that provides it
 * @param bundle the symbolic name of that bundle
 * @param descriptor the plugin's own description
 */
public record PluginInfo(String id, String version, String bundle, PluginDescriptor descriptor) {}
