package io.graft.plugin.pnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.ModelView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Freezes the columns of earlier tasks: while task {@code t} trains, the gradient of every weight row and
 * bias feeding a unit of a column {@code < t}, and of the head rows and biases of earlier tasks' classes, is
 * multiplied by 0. With plain SGD (momentum 0) a zero gradient leaves the weight exactly as it was
 * ({@code w − η·0 = w}), so everything an earlier task computes with stays bit-for-bit the same.
 *
 * <p>The multipliers are one value per row ({@code (rows, 1)} for a weight, {@code (rows)} for a bias),
 * broadcast over the gradient in place; they are built once per task and kept.
 */
final class ColumnFreeze implements AutoCloseable {

    private final ColumnLayout layout;
    private final NDManager manager;
    /** Per task: parameter name to its gradient multiplier; empty for the first task, which freezes nothing. */
    private final Map<String, NDArray>[] keep;

    /**
     * @param layout the columns
     * @param parent manager the multipliers live under (the run manager); on the training device
     */
    @SuppressWarnings("unchecked")
    ColumnFreeze(ColumnLayout layout, NDManager parent) {
        this.layout = layout;
        this.manager = parent.newSubManager();
        keep = new Map[layout.tasks()];
        for (int t = 0; t < keep.length; t++) {
            keep[t] = t == 0 ? Map.of() : build(t);
        }
    }

    private Map<String, NDArray> build(int task) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        int column = layout.columnOfTask(task);
        for (int l = 0; l < layout.depth(); l++) {
            float[] rows = new float[layout.width(l)];
            for (int u = 0; u < rows.length; u++) {
                rows[u] = layout.columnOf(l, u) < column ? 0f : 1f;
            }
            m.put(HostLayers.name(l, "weight"), manager.create(rows, new Shape(rows.length, 1)));
            m.put(HostLayers.name(l, "bias"), manager.create(rows));
        }
        float[] heads = new float[layout.outputs()];
        java.util.Arrays.fill(heads, 1f);
        for (int earlier = 0; earlier < task; earlier++) {
            for (int c : layout.classes(earlier)) {
                heads[c] = 0f;
            }
        }
        m.put("out.weight", manager.create(heads, new Shape(heads.length, 1)));
        m.put("out.bias", manager.create(heads));
        return m;
    }

    /**
     * Zeroes, in place, the gradients that would change what earlier tasks use.
     *
     * @param model the host, gradients filled
     * @param task the task in training
     */
    void apply(ModelView model, int task) {
        for (Map.Entry<String, NDArray> e : keep[task].entrySet()) {
            model.parameter(e.getKey()).gradient().muli(e.getValue());
        }
    }

    /**
     * @param task a task
     * @return parameter name to its gradient multiplier (1 trains, 0 frozen) while the task trains; empty when
     *     nothing is frozen
     */
    Map<String, NDArray> multipliers(int task) {
        return keep[task];
    }

    /**
     * @param task a task
     * @return how many scalar parameters are frozen while it trains
     */
    long frozenWhile(int task) {
        long n = 0;
        for (int k = 0; k < layout.columnOfTask(task); k++) {
            n += layout.parametersOf(k);
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
