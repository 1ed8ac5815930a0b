package io.graft.runtime.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.runtime.UserException;
import io.graft.runtime.config.ConfigLoader;
import io.graft.runtime.config.ExperimentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code graft compare} file: a base run config and the grid of runs made from it, methods × orders × seeds.
 * <pre>
 * name: split-fmnist                 # optional: the title, and the default output folder runs/&lt;name&gt;
 * base: split-fmnist-finetune.yaml   # a run config, relative to this file
 * seeds: [1, 2, 3]                   # optional: default the base config's seed
 * methods:                           # name -&gt; overrides of the base config
 *   finetune: {}
 *   ewc: {plugins: [{id: ewc, config: {lambda: 100}}]}
 * orders:                            # optional axis, default {given: {}}: name -&gt; overrides
 *   given: {}
 * </pre>
 * Overrides are nested mappings merged into the base config's tree: a mapping is merged key by key, anything
 * else (a list, a number, a string) replaces what the base has. A relative {@code data.dir} in an override is
 * relative to this file. A run's config is: base, then the command line's {@code --set}, then the method's
 * overrides, then the order's, then {@code seed}; its {@code name} is the method's name (method/order when
 * there are several orders) unless an override sets one. Names are folder names: letters, digits and
 * {@code . _ + -}.
 *
 * @param file the compare file
 * @param name the comparison's name
 * @param base the base run config (absolute)
 * @param seeds the seeds, in order; empty for the base config's seed
 * @param methods the methods' overrides, in file order
 * @param orders the orders' overrides, in file order
 */
public record CompareSpec(Path file, String name, Path base, List<Long> seeds, Map<String, ObjectNode> methods,
                          Map<String, ObjectNode> orders) {

    private static final Set<String> KEYS = Set.of("name", "base", "seeds", "methods", "orders");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /**
     * One run of the grid.
     *
     * @param method the method's name
     * @param order the order's name
     * @param seed the seed
     */
    public record Cell(String method, String order, long seed) {

        /** @return {@code method/order/seed-N}, the run's folder under the output folder */
        public String relativeDir() {
            return method + "/" + order + "/seed-" + seed;
        }

        /** @return e.g. {@code ewc given seed 2} */
        public String label() {
            return method + " " + order + " seed " + seed;
        }
    }

    /** Copies the collections, keeping their order. */
    public CompareSpec {
        seeds = List.copyOf(seeds);
        methods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methods));
        orders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(orders));
    }

    /**
     * Reads and checks a compare file (not yet its base config).
     *
     * @param file the YAML file
     * @return the grid
     * @throws UserException (BAD_CONFIG) with one line naming the key and the fix
     */
    public static CompareSpec load(Path file) {
        ObjectNode root = ConfigLoader.readTree(file);
        String where = "compare file " + file + ": ";
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw bad(where + "unknown key '" + key + "'; known keys: base, methods, name, orders, seeds");
            }
        }
        JsonNode base = root.path("base");
        if (!base.isTextual() || base.asText().isBlank()) {
            throw bad(where + "'base' is missing; name the run config the grid starts from, relative to this file");
        }
        String defaultName = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String name = root.path("name").isMissingNode() ? defaultName : root.path("name").asText();
        if (!NAME.matcher(name).matches()) {
            throw bad(where + "'name' is '" + name + "'; use letters, digits and . _ + - (it names the output folder)");
        }
        Path dir = file.toAbsolutePath().getParent();
        return new CompareSpec(file, name, dir.resolve(base.asText()).normalize(), seeds(root.path("seeds"), where),
                axis(root, "methods", where, Map.of()), axis(root, "orders", where, Map.of("given",
                        root.objectNode())));
    }

    /**
     * The base config's tree with the command line's overrides, its {@code data.dir} made absolute (relative to
     * the base file, or to the working folder when given with {@code --set}), checked by binding it.
     *
     * @param overrides {@code --set dotted.key=value} strings
     * @return the tree every run starts from
     * @throws UserException (BAD_CONFIG) when the base config or an override is bad
     */
    public ObjectNode baseTree(List<String> overrides) {
        ObjectNode tree = ConfigLoader.readTree(base);
        absoluteDataDir(tree, base.getParent());
        for (String override : overrides) {
            ConfigLoader.applyOverride(tree, override);
        }
        absoluteDataDir(tree, Path.of("").toAbsolutePath());
        ConfigLoader.load(tree, base.getParent());
        return tree;
    }

    /**
     * @param baseTree the tree from {@link #baseTree(List)}
     * @return every run of the grid: methods, then orders, then seeds
     */
    public List<Cell> cells(ObjectNode baseTree) {
        List<Long> s = seeds.isEmpty() ? List.of(ConfigLoader.load(baseTree, base.getParent()).seed()) : seeds;
        List<Cell> cells = new ArrayList<>();
        for (String method : methods.keySet()) {
            for (String order : orders.keySet()) {
                for (long seed : s) {
                    cells.add(new Cell(method, order, seed));
                }
            }
        }
        return cells;
    }

    /**
     * @param baseTree the tree from {@link #baseTree(List)}
     * @param cell a run of the grid
     * @return its checked config
     * @throws UserException (BAD_CONFIG) when the method's or order's overrides make a bad config
     */
    public ExperimentConfig config(ObjectNode baseTree, Cell cell) {
        ObjectNode tree = baseTree.deepCopy();
        ObjectNode method = methods.get(cell.method());
        ObjectNode order = orders.get(cell.order());
        merge(tree, method);
        merge(tree, order);
        tree.put("seed", cell.seed());
        if (!method.has("name") && !order.has("name")) {
            tree.put("name", orders.size() > 1 ? cell.method() + "/" + cell.order() : cell.method());
        }
        return ConfigLoader.load(tree, file.toAbsolutePath().getParent());
    }

    /**
     * Merges overrides into a config tree: mappings key by key, anything else replaced whole.
     *
     * @param into the tree, changed in place
     * @param overlay the overrides
     */
    static void merge(ObjectNode into, ObjectNode overlay) {
        overlay.fields().forEachRemaining(e -> {
            JsonNode current = into.get(e.getKey());
            if (current instanceof ObjectNode target && e.getValue() instanceof ObjectNode more) {
                merge(target, more);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private static void absoluteDataDir(ObjectNode tree, Path relativeTo) {
        JsonNode dir = tree.path("data").path("dir");
        if (dir.isTextual() && !dir.asText().isBlank()) {
            ((ObjectNode) tree.get("data")).put("dir", relativeTo.resolve(dir.asText()).normalize().toString());
        }
    }

    private static List<Long> seeds(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw bad(where + "'seeds' must be a list of whole numbers, e.g. seeds: [1, 2, 3]");
        }
        Set<Long> seeds = new LinkedHashSet<>();
        for (JsonNode s : node) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw bad(where + "'seeds' must be a list of whole numbers, got '" + s.asText() + "'");
            }
            if (!seeds.add(s.asLong())) {
                throw bad(where + "seed " + s.asLong() + " is listed twice in 'seeds'");
            }
        }
        return List.copyOf(seeds);
    }

    private static Map<String, ObjectNode> axis(ObjectNode root, String key, String where,
                                                Map<String, ObjectNode> fallback) {
        JsonNode node = root.path(key);
        if (node.isMissingNode() || node.isNull()) {
            if (fallback.isEmpty()) {
                throw bad(where + "'" + key + "' is missing; give a mapping of names to overrides, e.g. "
                        + key + ": {finetune: {}, ewc: {plugins: [{id: ewc}]}}");
            }
            return fallback;
        }
        if (!node.isObject() || node.isEmpty()) {
            throw bad(where + "'" + key + "' must be a non-empty mapping of names to overrides, e.g. "
                    + key + ": {finetune: {}, ewc: {plugins: [{id: ewc}]}}");
        }
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw bad(where + key + " name '" + e.getKey() + "' is not usable as a folder name; use letters, "
                        + "digits and . _ + - (at most 64)");
            }
            JsonNode value = e.getValue();
            if (value.isNull()) {
                value = root.objectNode();
            }
            if (!value.isObject()) {
                throw bad(where + key + "." + e.getKey() + " must be a mapping of config overrides, e.g. "
                        + "{plugins: [{id: ewc}]} ({} for the base config as it is)");
            }
            dottedKey((ObjectNode) value, where + key + "." + e.getKey());
            out.put(e.getKey(), (ObjectNode) value);
        });
        return out;
    }

    /** Overrides are nested mappings; a dotted key would silently become an unknown key, so it is refused here. */
    private static void dottedKey(ObjectNode overrides, String where) {
        overrides.fields().forEachRemaining(e -> {
            if (e.getKey().contains(".")) {
                throw bad(where + ": key '" + e.getKey() + "' has a dot; overrides are nested mappings, e.g. "
                        + "{train: {optimizer: {lr: 0.01}}}");
            }
            if (e.getValue() instanceof ObjectNode child) {
                dottedKey(child, where);
            }
        });
    }

    private static UserException bad(String message) {
        return new UserException(UserException.BAD_CONFIG, message);
    }
}
