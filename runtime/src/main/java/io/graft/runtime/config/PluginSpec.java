package io.graft.runtime.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One plugin of a run: its id and its raw configuration, bound later against the plugin's own keys.
 *
 * @param id the plugin id, e.g. {@code ewc}
 * @param config the plugin's keys and values (may be empty)
 */
public record PluginSpec(String id, Map<String, Object> config) {

    /** Fills in defaults. */
    public PluginSpec {
        Objects.requireNonNull(id, "plugin id");
        config = config == null ? Map.of() : new LinkedHashMap<>(config);
    }
}
