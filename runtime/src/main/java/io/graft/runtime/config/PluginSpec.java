package io.graft.runtime.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One plugin of a run: its id and its raw configuration, bound later against the plugin's own keys.
 *
 * @param id the plugin id, e.g. {@code ewc}
 * @param config the plugin's keys and values (may be empty)
 * @param name the instance's name in the run (default: the id); two instances of one plugin need different names
 * @param when for a growth policy or pruner: the names of the triggers it acts on (default: every trigger that no
 *     action names)
 */
public record PluginSpec(String id, Map<String, Object> config, String name, List<String> when) {

    /** Fills in defaults. */
    public PluginSpec {
        Objects.requireNonNull(id, "plugin id");
        config = config == null ? Map.of() : new LinkedHashMap<>(config);
        name = name == null || name.isBlank() ? id : name.trim();
        when = when == null ? List.of() : List.copyOf(when);
    }

    /**
     * A plugin under its own id, bound to the run's shared triggers.
     *
     * @param id the plugin id
     * @param config its keys and values
     */
    public PluginSpec(String id, Map<String, Object> config) {
        this(id, config, null, null);
    }
}
