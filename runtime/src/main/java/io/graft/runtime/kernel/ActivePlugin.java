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
 * @param when for a growth policy or pruner: the names of the triggers it acts on (empty: the triggers no action
 *     names; see {@link TriggerBinding})
 */
public record ActivePlugin(String id, String version, Plugin instance, java.util.List<String> when) {

    /** Checks the fields. */
    public ActivePlugin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(instance, "instance");
        when = when == null ? java.util.List.of() : java.util.List.copyOf(when);
    }

    /**
     * A plugin bound to the run's shared triggers.
     *
     * @param id its name in the run
     * @param version its bundle's version
     * @param instance a fresh instance
     */
    public ActivePlugin(String id, String version, Plugin instance) {
        this(id, version, instance, null);
    }
}
