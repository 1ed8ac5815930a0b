package io.graft.plugin.pruning;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.ModelView;
import io.graft.api.train.MetricSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pruner's record of which weights are still alive, the masks it hands to the kernel, and the sparsity it
 * reports. The kernel keeps its own combined masks; this copy lets the next stage rank only the survivors.
 */
final class MaskBook implements AutoCloseable {

    private final Map<String, boolean[]> alive = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private NDManager handed;

    /**
     * Starts with every weight of the pruned parameters alive (or keeps what a restored state said).
     *
     * @param model the model
     * @param names the pruned parameters
     */
    void start(ModelView model, List<String> names) {
        for (String n : names) {
            Shape shape = model.parameter(n).array().getShape();
            shapes.put(n, shape);
            alive.computeIfAbsent(n, k -> all(Math.toIntExact(shape.size())));
        }
    }

    /** @return the pruned parameters, in the model's order */
    List<String> names() {
        return new ArrayList<>(shapes.keySet());
    }

    /**
     * @param name a pruned parameter
     * @return whether each of its entries is alive (the book's own array: read only)
     */
    boolean[] alive(String name) {
        return alive.get(name);
    }

    /**
     * Records a stage's survivors and turns them into the masks the kernel applies.
     *
     * @param kept parameter name to its surviving entries
     * @param manager where the pruner's arrays live (the run manager); the masks go to a sub-manager of it that
     *     the next call (or {@link #close}) releases, after the kernel has copied them
     * @return parameter name to a 0/1 float mask of the parameter's shape
     */
    Map<String, NDArray> apply(Map<String, boolean[]> kept, NDManager manager) {
        close();
        handed = manager.newSubManager();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (Map.Entry<String, boolean[]> e : kept.entrySet()) {
            boolean[] k = e.getValue();
            alive.put(e.getKey(), k);
            float[] m = new float[k.length];
            for (int i = 0; i < k.length; i++) {
                m[i] = k[i] ? 1f : 0f;
            }
            // the kernel's copy may share storage with the returned array (DJL's toType/toDevice with copy=true
            // alias when type and device already match), and an array made from a Java buffer borrows memory the
            // garbage collector frees once it is closed: hand over an array whose storage the engine owns
            try (NDManager scratch = handed.newSubManager()) {
                NDArray borrowed = scratch.create(m, shapes.get(e.getKey()));
                NDArray owned = borrowed.duplicate();
                owned.attach(handed);
                masks.put(e.getKey(), owned);
            }
        }
        return masks;
    }

    /** @return the share of the pruned weights that are pruned */
    double sparsity() {
        long total = 0;
        long live = 0;
        for (boolean[] a : alive.values()) {
            total += a.length;
            live += MaskSelection.count(a);
        }
        return total == 0 ? 0 : 1 - (double) live / total;
    }

    /**
     * Reports the sparsity overall ({@code sparsity}), per pruned parameter ({@code sparsity.fc1.weight}) and the
     * surviving weights ({@code weights_kept}).
     *
     * @param metrics the sink
     */
    void report(MetricSink metrics) {
        long live = 0;
        for (Map.Entry<String, boolean[]> e : alive.entrySet()) {
            int n = MaskSelection.count(e.getValue());
            live += n;
            metrics.record("sparsity." + e.getKey(), 1 - (double) n / e.getValue().length);
        }
        metrics.record("weights_kept", live);
        metrics.record("sparsity", sparsity());
    }

    /**
     * Writes the alive entries, one 0/1 array per parameter.
     *
     * @param out the writer
     */
    void save(StateWriter out) {
        out.putString("masks", String.join(",", alive.keySet()));
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            for (Map.Entry<String, boolean[]> e : alive.entrySet()) {
                boolean[] a = e.getValue();
                float[] m = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    m[i] = a[i] ? 1f : 0f;
                }
                out.putArray("mask." + e.getKey(), scratch.create(m));
            }
        }
    }

    /**
     * Reads what {@link #save} wrote.
     *
     * @param in the reader
     */
    void restore(StateReader in) {
        alive.clear();
        String names = in.getString("masks");
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            for (String n : PrunedLayers.parse(names)) {
                float[] m = in.getArray("mask." + n, scratch).toFloatArray();
                boolean[] a = new boolean[m.length];
                for (int i = 0; i < m.length; i++) {
                    a[i] = m[i] != 0f;
                }
                alive.put(n, a);
            }
        }
    }

    private static boolean[] all(int size) {
        boolean[] a = new boolean[size];
        java.util.Arrays.fill(a, true);
        return a;
    }

    @Override
    public void close() {
        if (handed != null) {
            handed.close();
            handed = null;
        }
    }
}
