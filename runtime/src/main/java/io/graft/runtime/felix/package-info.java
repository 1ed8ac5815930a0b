/**
 * The OSGi side of the host: an embedded Apache Felix with Declarative Services and FileInstall
 * ({@link io.graft.runtime.felix.FelixHost}), the registry of plugin factories
 * ({@link io.graft.runtime.felix.PluginRegistry}, the runtime's
 * {@link io.graft.runtime.plugin.PluginCatalog}), the report of the plugins folder
 * ({@link io.graft.runtime.felix.PluginsReport}) and the folders of an installed Graft
 * ({@link io.graft.runtime.felix.GraftLayout}).
 *
 * <p>Nothing outside this package and the CLI that starts the host should import Felix or OSGi types.
 */
package io.graft.runtime.felix;
