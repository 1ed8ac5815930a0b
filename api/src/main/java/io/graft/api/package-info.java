/**
 * Plugin identity and lifecycle: the {@link io.graft.api.Plugin} hooks every algorithm shares, the
 * {@link io.graft.api.PluginFactory} service a bundle registers, its {@link io.graft.api.PluginDescriptor},
 * and {@link io.graft.api.Stateful} for state that checkpoints and hot swap carry.
 */
@Export
@Version("1.2.0")
package io.graft.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
