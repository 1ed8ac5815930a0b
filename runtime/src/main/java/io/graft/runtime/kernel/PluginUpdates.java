package io.graft.runtime.kernel;

import io.graft.api.Plugin;
import java.util.Optional;

/**
 * Where the kernel asks, at every task boundary, whether a running plugin's jar was replaced or removed. The wiring
 * answers from the plugin catalog (the kernel never sees Felix).
 */
public interface PluginUpdates {

    /** Nothing ever changes. */
    PluginUpdates NONE = (name, version) -> Optional.empty();

    /**
     * @param name the plugin's name in the run
     * @param version the version running now
     * @return what changed: a newer (or other) version with a fresh instance, or the plugin gone; empty when nothing
     */
    Optional<Update> check(String name, String version);

    /**
     * A change of a running plugin.
     *
     * @param version the version offered now
     * @param instance a fresh instance of it, bound to the run's config; {@code null} when no jar offers the plugin
     * @param stateCompatible whether both versions name the same state format (the state is carried over)
     */
    record Update(String version, Plugin instance, boolean stateCompatible) {
    }
}
