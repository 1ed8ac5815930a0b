package io.graft.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.graft.runtime.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an experiment config from YAML, applies {@code --set dotted.key=value} overrides, binds it to
 * {@link ExperimentConfig} and checks it. Every problem becomes one {@link UserException} line that names
 * the key and the fix.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {}

    /**
     * @param file the YAML config
     * @param overrides {@code dotted.key=value} strings; values are read as YAML scalars or flow lists
     * @return the checked config, with a relative {@code data.dir} resolved against the config file's folder,
     *     or against the working folder when it was given with {@code --set}
     */
    public static ExperimentConfig load(Path file, List<String> overrides) {
        ObjectNode root = readTree(file);
        for (String override : overrides) {
            applyOverride(root, override);
        }
        // a data.dir written in the file is relative to the file; one given with --set to the working folder
        boolean fromCommandLine = overrides.stream().anyMatch(o -> o.trim().startsWith("data.dir="));
        Path base = fromCommandLine ? Path.of("").toAbsolutePath() : file.toAbsolutePath().getParent();
        return load(root, base);
    }

    /**
     * Binds and checks a config assembled elsewhere (e.g. a {@code graft compare} grid: a base config with
     * each method's overrides merged in).
     *
     * @param root the config tree; not changed
     * @param relativeTo the folder a relative {@code data.dir} is resolved against
     * @return the checked config
     * @throws UserException (BAD_CONFIG) with one line naming the key and the fix
     */
    public static ExperimentConfig load(ObjectNode root, Path relativeTo) {
        return ConfigChecks.check(withDataDir(bind(root), relativeTo.toAbsolutePath()));
    }

    /**
     * Reads a YAML config file into a tree, without binding it.
     *
     * @param file the YAML config
     * @return its top-level mapping
     * @throws UserException (BAD_CONFIG) when the file is missing, unreadable, not YAML or not a mapping
     */
    public static ObjectNode readTree(Path file) {
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw bad("config file " + file + " does not exist; give the path of a YAML config such as examples/split-fmnist-ewc.yaml");
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().lines().reduce((a, b) -> b).orElse("").trim();
            throw bad("config file " + file + " is not valid YAML at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + problem);
        } catch (IOException e) {
            throw bad("config file " + file + " cannot be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw bad("config file " + file + " must be a YAML mapping of keys such as data, scenario, model, train, plugins");
        }
        return (ObjectNode) tree;
    }

    /**
     * Binds an already assembled tree (used by tests and embedding).
     *
     * @param root the config tree
     * @return the bound config, unchecked paths
     */
    static ExperimentConfig bind(ObjectNode root) {
        try {
            return YAML.treeToValue(root, ExperimentConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw bad("unknown config key '" + path(e, e.getPropertyName()) + "'; known keys here: " + known);
        } catch (InvalidFormatException e) {
            throw bad("key '" + path(e, null) + "' has the wrong type: got '" + e.getValue() + "', expected "
                    + typeName(e.getTargetType()));
        } catch (ValueInstantiationException e) {
            Class<?> type = e.getType() == null ? null : e.getType().getRawClass();
            if (type != null && type.isEnum()) {
                throw bad("key '" + path(e, null) + "' has a wrong value: expected " + typeName(type));
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw bad("key '" + path(e, null) + "' is incomplete: " + cause.getMessage() + " is required");
        } catch (MismatchedInputException e) {
            throw bad("key '" + path(e, null) + "' has the wrong type: expected " + typeName(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw bad("config cannot be read: " + e.getOriginalMessage());
        }
    }

    private static ExperimentConfig withDataDir(ExperimentConfig c, Path base) {
        if (c.data().dir() == null || c.data().dir().isBlank()) {
            throw bad("config key 'data.dir' is missing; set it to a folder with the four MNIST-format IDX files");
        }
        String dir = base.resolve(c.data().dir()).normalize().toString();
        return new ExperimentConfig(c.name(), c.seed(), c.device(), new DataConfig(dir), c.scenario(), c.model(),
                c.train(), c.plugins());
    }

    /**
     * Applies one {@code --set} override to a config tree.
     *
     * @param root the config tree, changed in place
     * @param override {@code dotted.key=value}; the value is read as a YAML scalar or flow collection
     * @throws UserException (BAD_CONFIG) when it is not of that form or names a list index out of range
     */
    public static void applyOverride(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw bad("--set '" + override + "' is not of the form dotted.key=value, e.g. --set train.batchSize=64");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value = scalar(override.substring(eq + 1));
        JsonNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            node = child(node, keys[i], keys[i + 1], override);
        }
        String last = keys[keys.length - 1];
        if (node instanceof ArrayNode array) {
            int index = index(last, array, override);
            if (index == array.size()) {
                array.add(value);
            } else {
                array.set(index, value);
            }
        } else {
            ((ObjectNode) node).set(last, value);
        }
    }

    private static JsonNode child(JsonNode node, String key, String nextKey, String override) {
        boolean nextIsIndex = nextKey.chars().allMatch(Character::isDigit);
        if (node instanceof ArrayNode array) {
            int index = index(key, array, override);
            if (index == array.size()) {
                array.add(nextIsIndex ? array.arrayNode() : array.objectNode());
            }
            return array.get(index);
        }
        ObjectNode object = (ObjectNode) node;
        JsonNode existing = object.get(key);
        if (existing == null || !existing.isContainerNode()) {
            existing = nextIsIndex ? object.putArray(key) : object.putObject(key);
        }
        return existing;
    }

    private static int index(String key, ArrayNode array, String override) {
        try {
            int index = Integer.parseInt(key);
            if (index < 0 || index > array.size()) {
                throw new NumberFormatException();
            }
            return index;
        } catch (NumberFormatException e) {
            throw bad("--set '" + override + "': '" + key + "' must be a list index from 0 to " + array.size());
        }
    }

    private static JsonNode scalar(String text) {
        try {
            JsonNode node = YAML.readTree(text.isBlank() ? "''" : text);
            return node == null ? JsonNodeFactory.instance.nullNode() : node;
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static String path(JsonMappingException e, String leaf) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('.').append(ref.getIndex());
            }
        }
        if (leaf != null && !out.toString().endsWith(leaf)) {
            out.append(out.length() > 0 ? "." : "").append(leaf);
        }
        return out.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a mapping";
    }

    private static UserException bad(String message) {
        return new UserException(UserException.BAD_CONFIG, "config: " + message);
    }
}
