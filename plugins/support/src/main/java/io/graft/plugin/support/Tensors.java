package io.graft.plugin.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.train.MetricSink;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small array helpers for named per-parameter arrays. */
public final class Tensors {

    private Tensors() {}

    /**
     * {@code x · factor} safe for backward. DJL's {@code mul(Number)} makes the factor a tensor over Java memory
     * and closes it at once, but autograd keeps it to compute the gradient of {@code x} and reads it during
     * backward, by then possibly freed by the garbage collector (runs went NaN at random steps). Here the factor
     * stays open in {@code x}'s manager: inside a penalty the kernel closes it after backward; elsewhere it goes
     * with its manager.
     *
     * @param x an array, possibly in the autograd graph
     * @param factor the scale
     * @return {@code x · factor}
     */
    public static NDArray scaled(NDArray x, double factor) {
        NDArray f = x.getManager().create((float) factor);
        return x.mul(f.toType(x.getDataType(), false));
    }

    /**
     * @param value a live parameter (possibly recording gradients)
     * @param manager owner of the copy
     * @return a detached copy of its current value
     */
    public static NDArray copyOf(NDArray value, NDManager manager) {
        try (NDArray detached = value.stopGradient()) { // shares storage with the parameter
            NDArray copy = detached.duplicate();
            copy.attach(manager);
            return copy;
        }
    }

    /**
     * Copies the current parameters, detached from the autograd graph.
     *
     * @param model the model
     * @param manager owner of the copies
     * @return parameter name to copy, in parameter order
     */
    public static Map<String, NDArray> snapshot(ModelView model, NDManager manager) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            copies.put(p.name(), copyOf(p.array(), manager));
        }
        return copies;
    }

    /**
     * Overwrites {@code target} in place with the current value of {@code source} (same shape).
     *
     * @param target the array to overwrite
     * @param source a live parameter
     */
    public static void assign(NDArray target, NDArray source) {
        try (NDArray detached = source.stopGradient()) {
            target.muli(0).addi(detached);
        }
    }

    /**
     * @param a an array or {@code null}
     * @param like another array
     * @return whether {@code a} exists and has the shape of {@code like}
     */
    public static boolean sameShape(NDArray a, NDArray like) {
        return a != null && a.getShape().equals(like.getShape());
    }

    /**
     * Replaces an entry, closing the array it held.
     *
     * @param map the map
     * @param name the key
     * @param value the new array
     */
    public static void replace(Map<String, NDArray> map, String name, NDArray value) {
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
    public static void clear(Map<String, NDArray> map) {
        map.values().forEach(NDArray::close);
        map.clear();
    }

    /**
     * Hands every array of a map over to another manager, moving it to that manager's device if needed.
     *
     * @param map the map, updated in place
     * @param manager the new owner
     */
    public static void moveTo(Map<String, NDArray> map, NDManager manager) {
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
    public static void save(StateWriter out, String prefix, Map<String, NDArray> map) {
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
    public static Map<String, NDArray> load(StateReader in, String prefix, NDManager manager) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        String joined = in.getString(prefix + "names");
        for (String name : joined.isEmpty() ? new String[0] : joined.split("\n")) {
            map.put(name, in.getArray(prefix + name, manager));
        }
        return map;
    }

    /**
     * Records the mean and the maximum over all elements of some arrays as {@code name + "_mean"} and
     * {@code name + "_max"} (both 0 for arrays without elements); records nothing when there are no arrays.
     *
     * @param metrics where to record, or {@code null} to record nothing
     * @param name the metrics' base name, e.g. {@code "importance"}
     * @param arrays the arrays, e.g. per-parameter importances
     */
    public static void recordStatistics(MetricSink metrics, String name, Collection<NDArray> arrays) {
        if (metrics == null || arrays.isEmpty()) {
            return;
        }
        double sum = 0;
        double max = 0;
        long count = 0;
        for (NDArray a : arrays) {
            if (a.size() == 0) {
                continue;
            }
            try (NDArray s = a.sum(); NDArray m = a.max()) {
                sum += s.getFloat();
                max = Math.max(max, m.getFloat());
            }
            count += a.size();
        }
        metrics.record(name + "_mean", count == 0 ? 0 : sum / count);
        metrics.record(name + "_max", max);
    }
}
