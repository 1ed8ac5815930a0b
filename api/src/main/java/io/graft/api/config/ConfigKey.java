package io.graft.api.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One typed configuration key of a plugin, with its default, a description and optional rules:
 * <pre>{@code
 * static final ConfigKey<Double> LAMBDA =
 *     ConfigKey.ofDouble("lambda", 5000.0, "penalty strength").require(v -> v >= 0, "must be >= 0");
 * }</pre>
 *
 * @param <T> the value type
 */
public final class ConfigKey<T> {

    private final String name;
    private final String typeName;
    private final T defaultValue;
    private final String description;
    private final Function<Object, T> parser;
    private final Predicate<? super T> rule;
    private final String ruleText;

    private ConfigKey(String name, String typeName, T defaultValue, String description,
                      Function<Object, T> parser, Predicate<? super T> rule, String ruleText) {
        this.name = Objects.requireNonNull(name, "name");
        this.typeName = typeName;
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        this.parser = parser;
        this.rule = rule;
        this.ruleText = ruleText;
    }

    /**
     * A real-number key; integers are accepted.
     *
     * @param name key name
     * @param defaultValue value when the user gives none
     * @param description what the key controls
     * @return the key
     */
    public static ConfigKey<Double> ofDouble(String name, double defaultValue, String description) {
        return new ConfigKey<>(name, "a number", defaultValue, description, ConfigKey::toDouble, v -> true, null);
    }

    /**
     * A whole-number key.
     *
     * @param name key name
     * @param defaultValue value when the user gives none
     * @param description what the key controls
     * @return the key
     */
    public static ConfigKey<Integer> ofInt(String name, int defaultValue, String description) {
        return new ConfigKey<>(name, "a whole number", defaultValue, description,
                raw -> Math.toIntExact(toLong(raw)), v -> true, null);
    }

    /**
     * A long whole-number key.
     *
     * @param name key name
     * @param defaultValue value when the user gives none
     * @param description what the key controls
     * @return the key
     */
    public static ConfigKey<Long> ofLong(String name, long defaultValue, String description) {
        return new ConfigKey<>(name, "a whole number", defaultValue, description, ConfigKey::toLong, v -> true, null);
    }

    /**
     * A true/false key.
     *
     * @param name key name
     * @param defaultValue value when the user gives none
     * @param description what the key controls
     * @return the key
     */
    public static ConfigKey<Boolean> ofBoolean(String name, boolean defaultValue, String description) {
        return new ConfigKey<>(name, "true or false", defaultValue, description, ConfigKey::toBoolean, v -> true, null);
    }

    /**
     * A string key.
     *
     * @param name key name
     * @param defaultValue value when the user gives none
     * @param description what the key controls
     * @return the key
     */
    public static ConfigKey<String> ofString(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, "a string", defaultValue, description, ConfigKey::toText, v -> true, null);
    }

    /**
     * A key whose value is one constant of an enum, written in lower case in configs.
     *
     * @param name key name
     * @param type the enum
     * @param defaultValue value when the user gives none
     * @param description what the key controls
     * @param <E> the enum type
     * @return the key
     */
    public static <E extends Enum<E>> ConfigKey<E> ofEnum(String name, Class<E> type, E defaultValue,
                                                          String description) {
        String allowed = String.join(", ",
                Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
        return new ConfigKey<>(name, "one of " + allowed, defaultValue, description,
                raw -> Enum.valueOf(type, toText(raw).trim().toUpperCase(Locale.ROOT)), v -> true, null);
    }

    /**
     * Adds a rule the value must satisfy.
     *
     * @param test the rule
     * @param text the rule in words, e.g. {@code "must be >= 0"}
     * @return a new key with the rule
     */
    public ConfigKey<T> require(Predicate<? super T> test, String text) {
        Predicate<? super T> previous = rule;
        String joined = ruleText == null ? text : ruleText + " and " + text;
        Predicate<T> both = v -> previous.test(v) && test.test(v);
        return new ConfigKey<>(name, typeName, defaultValue, description, parser, both, joined);
    }

    /** @return the key name */
    public String name() {
        return name;
    }

    /** @return the default value */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return what the key controls */
    public String description() {
        return description;
    }

    /** @return the expected type in words, e.g. {@code "a number"} */
    public String typeName() {
        return typeName;
    }

    /**
     * Converts and checks a raw value (as read from YAML, JSON or a {@code --set} string).
     *
     * @param raw the raw value
     * @return the typed value
     * @throws ConfigException naming the key when the value has the wrong type or breaks a rule
     */
    public T parse(Object raw) {
        T value;
        try {
            value = parser.apply(raw);
        } catch (RuntimeException e) {
            throw new ConfigException(name, "'" + name + "' must be " + typeName + ", got '" + raw + "'");
        }
        check(value);
        return value;
    }

    void check(T value) {
        if (!rule.test(value)) {
            throw new ConfigException(name, "'" + name + "' " + ruleText + ", got " + value);
        }
    }

    private static double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            return Double.parseDouble(s.trim());
        }
        throw new IllegalArgumentException();
    }

    private static long toLong(Object raw) {
        if (raw instanceof Byte || raw instanceof Short || raw instanceof Integer || raw instanceof Long) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (raw instanceof String s) {
            return Long.parseLong(s.trim());
        }
        throw new IllegalArgumentException();
    }

    private static boolean toBoolean(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException();
    }

    private static String toText(Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        // YAML reads row: 1 or steps: 1000 as numbers; as text they mean what the user wrote
        if (raw instanceof Integer || raw instanceof Long || raw instanceof java.math.BigInteger) {
            return raw.toString();
        }
        throw new IllegalArgumentException();
    }
}
