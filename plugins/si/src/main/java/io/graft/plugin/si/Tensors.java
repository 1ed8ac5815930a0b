package io.graft.plugin.si;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small array helpers for named per-parameter arrays. */
final class Tensors {

    private Tensors() {}

    /**
     * @param value a live parameter (possibly recording gradients)
     * @param manager owner of the copy
     * @return a detached copy of its current value
     */
    static NDArray copyOf(NDArray value, NDManager manager) {
        try (NDArray detached = value.stopGradient()) { // shares storage with the parameter
            NDArray copy = detached.duplicate();
            copy.attach(manager);
            return copy;
        }
    }

    /**
     * Overwrites {@code target} in place with the current value of {@code source} (same shape).
     *
     * @param target the array to overwrite
     * @param source a live parameter
     */
    static void assign(NDArray target, NDArray source) {
        try (NDArray detached = source.stopGradient()) {
            target.muli(0).addi(detached);
        }
    }

    /**
     * @param a an array or {@code null}
     * @param like another array
     * @return whether {@code a} exists and has the shape of {@code like}
     */
    static boolean sameShape(NDArray a, NDArray like) {
        return a != null && a.getShape().equals(like.getShape());
    }

    /**
     * Replaces an entry, closing the array it held.
     *
     * @param map the map
     * @param name the key
     * @param value the new array
     */
    static void replace(Map<String, NDArray> map, String name, NDArray value) {
        NDArray old = map.put(name, value);
        if (old != null && old != value) {
            old.close();
        }
    }

    /**
     * Closes every array of a map and empties it.
     *
     * @param map the map
     */
    static void clear(Map<String, NDArray> map) {
        map.values().forEach(NDArray::close);
        map.clear();
    }

    /**
     * Hands every array of a map over to another manager, moving it to that manager's device if needed.
     *
     * @param map the map, updated in place
     * @param manager the new owner
     */
    static void moveTo(Map<String, NDArray> map, NDManager manager) {
        for (Map.Entry<String, NDArray> e : map.entrySet()) {
            NDArray a = e.getValue();
            NDArray there = a.toDevice(manager.getDevice(), false);
            there.attach(manager);
            if (there != a) {
                a.close();
            }
            e.setValue(there);
        }
    }

    /**
     * Writes a map of arrays under a prefix: {@code prefix + "names"} (newline-separated) and one array per name.
     *
     * @param out where to write
     * @param prefix the entries' prefix, e.g. {@code "importance."}
     * @param map the arrays
     */
    static void save(StateWriter out, String prefix, Map<String, NDArray> map) {
        out.putString(prefix + "names", String.join("\n", map.keySet()));
        for (Map.Entry<String, NDArray> e : map.entrySet()) {
            out.putArray(prefix + e.getKey(), e.getValue());
        }
    }

    /**
     * Reads what {@link #save} wrote.
     *
     * @param in what was written
     * @param prefix the entries' prefix
     * @param manager owner of the arrays
     * @return name to array, in the saved order
     */
    static Map<String, NDArray> load(StateReader in, String prefix, NDManager manager) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        String joined = in.getString(prefix + "names");
        for (String name : joined.isEmpty() ? new String[0] : joined.split("\n")) {
            map.put(name, in.getArray(prefix + name, manager));
        }
        return map;
    }
}
