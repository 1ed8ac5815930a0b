package io.graft.plugin.pnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The forward-pass weight masks that turn the host into columns: for {@code fc2, fc3, ...} a fixed block
 * matrix whose block {@code (k, j)} is 1 when column {@code k} reads column {@code j} of the layer below
 * ({@link Connectivity}), and for the head one mask per task that keeps only the task's class rows and its
 * column's units. {@code fc1} and every bias stay unmasked: every column reads the input, and a bias belongs
 * to its unit's column. The arrays are built once and kept; the kernel only reads them.
 */
final class ColumnMasks implements AutoCloseable {

    private final ColumnLayout layout;
    private final NDManager manager;
    private final NDArray[] hidden;
    private final NDArray[] heads;

    /**
     * @param layout the columns
     * @param parent manager the masks live under (the run manager); on the training device
     */
    ColumnMasks(ColumnLayout layout, NDManager parent) {
        this.layout = layout;
        this.manager = parent.newSubManager();
        hidden = new NDArray[layout.depth()];
        for (int l = 1; l < layout.depth(); l++) {
            hidden[l] = blocks(l);
        }
        heads = new NDArray[layout.tasks()];
        for (int t = 0; t < heads.length; t++) {
            heads[t] = head(t);
        }
    }

    private NDArray blocks(int layer) {
        int rows = layout.width(layer);
        int cols = layout.width(layer - 1);
        float[] m = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int column = layout.columnOf(layer, r);
            for (int c = 0; c < cols; c++) {
                if (layout.connectivity().reads(column, layout.columnOf(layer - 1, c))) {
                    m[r * cols + c] = 1f;
                }
            }
        }
        return manager.create(m, new Shape(rows, cols));
    }

    private NDArray head(int task) {
        int last = layout.depth() - 1;
        int cols = layout.width(last);
        int column = layout.columnOfTask(task);
        float[] m = new float[layout.outputs() * cols];
        for (int c : layout.classes(task)) {
            for (int u = 0; u < cols; u++) {
                if (layout.columnOf(last, u) == column) {
                    m[c * cols + u] = 1f;
                }
            }
        }
        return manager.create(m, new Shape(layout.outputs(), cols));
    }

    /**
     * @param parameter a host parameter name, e.g. {@code fc2.weight}
     * @param task the task whose forward pass is masked
     * @return its mask (kept by this object), or {@code null} when the parameter is not masked
     */
    NDArray forParameter(String parameter, int task) {
        if (parameter.equals("out.weight")) {
            return heads[task];
        }
        int layer = HostLayers.hiddenIndex(parameter, "weight");
        return layer >= 1 && layer < hidden.length ? hidden[layer] : null;
    }

    @Override
    public void close() {
        manager.close();
    }
}
