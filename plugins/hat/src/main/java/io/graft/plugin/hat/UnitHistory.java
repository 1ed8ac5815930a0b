package io.graft.plugin.hat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.plugin.support.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the finished tasks left in the hidden layers: each task's binarised mask (its gates in evaluation), the
 * cumulative mask {@code a^{<t} = max} over them (the units HAT protects) and the summative mask
 * {@code M^{<t,sum} = Σ} over them (AdaHAT's parameter importance, Eq. 7), in the order the tasks were trained.
 */
final class UnitHistory implements AutoCloseable {

    private final Map<Integer, Map<String, NDArray>> masks = new TreeMap<>();
    private final List<Integer> finished = new ArrayList<>();
    private final Map<String, float[]> cumulative = new LinkedHashMap<>();
    private final Map<String, float[]> summative = new LinkedHashMap<>();

    /**
     * Starts empty masks for layers not seen yet (zeros: no unit used).
     *
     * @param chain the layers
     */
    void cover(LayerChain chain) {
        for (LayerChain.Layer l : chain.hidden()) {
            cumulative.computeIfAbsent(l.name(), k -> new float[l.units()]);
            summative.computeIfAbsent(l.name(), k -> new float[l.units()]);
        }
    }

    /**
     * Records a finished task's binarised masks, taking ownership of the arrays.
     *
     * @param task the task index
     * @param binary layer to 0/1 mask
     */
    void finish(int task, Map<String, NDArray> binary) {
        Map<String, NDArray> old = masks.put(task, binary);
        if (old != null) {
            Tensors.clear(old);
        }
        finished.add(task);
        for (Map.Entry<String, NDArray> e : binary.entrySet()) {
            float[] m = e.getValue().toFloatArray();
            float[] c = cumulative.computeIfAbsent(e.getKey(), k -> new float[m.length]);
            float[] s = summative.computeIfAbsent(e.getKey(), k -> new float[m.length]);
            for (int i = 0; i < m.length; i++) {
                c[i] = Math.max(c[i], m[i]);
                s[i] += m[i];
            }
        }
    }

    /**
     * @param task a task index
     * @param layer a hidden layer
     * @return the task's kept mask, or {@code null} when the task has not finished
     */
    NDArray mask(int task, String layer) {
        Map<String, NDArray> m = masks.get(task);
        return m == null ? null : m.get(layer);
    }

    /** @return the number of finished tasks */
    int finishedTasks() {
        return finished.size();
    }

    /**
     * @param layer a hidden layer
     * @return {@code a^{<t}}: 1 for a unit some finished task uses (host copy, do not change)
     */
    float[] cumulative(String layer) {
        return cumulative.get(layer);
    }

    /**
     * @param layer a hidden layer
     * @return {@code M^{<t,sum}}: how many finished tasks use each unit (host copy, do not change)
     */
    float[] summative(String layer) {
        return summative.get(layer);
    }

    /**
     * @param out where to write
     * @param prefix the entries' prefix
     */
    void save(StateWriter out, String prefix) {
        out.putString(prefix + "finished", finished.stream().map(String::valueOf).collect(Collectors.joining(",")));
        for (int task : finished) {
            Tensors.save(out, prefix + task + ".", masks.get(task));
        }
    }

    /**
     * Replaces the history with a saved one; the cumulative and summative masks are rebuilt from the tasks'.
     *
     * @param in what was written
     * @param prefix the entries' prefix
     * @param manager owner of the arrays
     */
    void load(StateReader in, String prefix, NDManager manager) {
        clear();
        String joined = in.getString(prefix + "finished");
        for (String t : joined.isEmpty() ? new String[0] : joined.split(",")) {
            int task = Integer.parseInt(t);
            finish(task, Tensors.load(in, prefix + t + ".", manager));
        }
    }

    /**
     * Hands the kept masks over to another manager.
     *
     * @param manager the new owner
     */
    void moveTo(NDManager manager) {
        for (Map<String, NDArray> m : masks.values()) {
            Tensors.moveTo(m, manager);
        }
    }

    private void clear() {
        masks.values().forEach(Tensors::clear);
        masks.clear();
        finished.clear();
        cumulative.clear();
        summative.clear();
    }

    @Override
    public void close() {
        clear();
    }
}
