package io.graft.api.config;

import java.util.Collections;
import java.util.Map;

/**
 * A plugin's configuration after binding: every declared key has a valid typed value, from the user or
 * the default. Made by {@link ConfigSpec#bind(Map)}.
 */
public final class PluginConfig {

    private final ConfigSpec spec;
    private final Map<String, Object> values;

    PluginConfig(ConfigSpec spec, Map<String, Object> values) {
        this.spec = spec;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @param key a key of the spec this configuration was bound with
     * @param <T> its type
     * @return the value
     * @throws IllegalArgumentException if the key was not declared in that spec
     */
    public <T> T get(ConfigKey<T> key) {
        if (!spec.declares(key)) {
            throw new IllegalArgumentException("config key '" + key.name() + "' is not declared by this plugin");
        }
        @SuppressWarnings("unchecked")
        T value = (T) values.get(key.name());
        return value;
    }

    /** @return every key with its resolved value, for the run's record of its configuration */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
