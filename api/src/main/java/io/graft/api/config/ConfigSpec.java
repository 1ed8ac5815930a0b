package io.graft.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The set of keys a plugin accepts; binds a user's raw values to a {@link PluginConfig}. */
public final class ConfigSpec {

    private static final ConfigSpec EMPTY = new ConfigSpec(List.of());

    private final Map<String, ConfigKey<?>> keys;

    private ConfigSpec(List<ConfigKey<?>> keys) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (byName.put(key.name(), key) != null) {
                throw new IllegalArgumentException("config key '" + key.name() + "' is declared twice");
            }
        }
        this.keys = Collections.unmodifiableMap(byName);
    }

    /**
     * @param keys the accepted keys
     * @return a spec over those keys
     */
    public static ConfigSpec of(ConfigKey<?>... keys) {
        return new ConfigSpec(List.of(keys));
    }

    /** @return a spec that accepts no keys */
    public static ConfigSpec empty() {
        return EMPTY;
    }

    /** @return the keys in declaration order */
    public List<ConfigKey<?>> keys() {
        return new ArrayList<>(keys.values());
    }

    /**
     * Binds raw values, filling in defaults.
     *
     * @param raw the user's values (may be empty)
     * @return the typed configuration
     * @throws ConfigException for an unknown key (the message lists the known ones), a wrong type or a broken rule
     */
    public PluginConfig bind(Map<String, ?> raw) {
        for (String name : raw.keySet()) {
            if (!keys.containsKey(name)) {
                throw new ConfigException(name, "unknown key '" + name + "'; known keys: "
                        + (keys.isEmpty() ? "(none)" : String.join(", ", keys.keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys.values()) {
            values.put(key.name(), raw.containsKey(key.name()) ? key.parse(raw.get(key.name())) : checked(key));
        }
        return new PluginConfig(this, values);
    }

    private static <T> T checked(ConfigKey<T> key) {
        key.check(key.defaultValue());
        return key.defaultValue();
    }

    boolean declares(ConfigKey<?> key) {
        return keys.get(key.name()) == key;
    }
}
