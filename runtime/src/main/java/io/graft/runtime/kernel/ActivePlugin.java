package io.graft.runtime.kernel;

import io.graft.api.Plugin;
import java.util.Objects;

/**
 * A plugin instance taking part in a run, with the id and version it was resolved under. The kernel calls
 * the plugins of a run in the order of its list at every hook; sorting (descriptor order, then config
 * order) is the caller's job.
 *
 * @param id the plugin id, e.g. {@code ewc}; names the plugin in metrics and error messages
 * @param version the version of the bundle that provided it
 * @param instance a fresh instance for this run
 */
public record ActivePlugin(String id, String version, Plugin instance) {

    /** Checks the fields. */
    public ActivePlugin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(instance, "instance");
    }
}
