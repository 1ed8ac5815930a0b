package io.graft.plugin.pnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures that the frozen columns really stayed put during a task: a copy of the parameters at the task's
 * start, compared at its end over the entries the freeze protects. Zeroed gradients freeze exactly only under
 * plain SGD; momentum left from an earlier task, or another plugin that edits weights, would show here as a
 * change above 0.
 */
final class FreezeAudit implements AutoCloseable {

    private final NDManager parent;
    private NDManager copies;
    private Map<String, NDArray> multipliers = Map.of();
    private final Map<String, NDArray> start = new LinkedHashMap<>();

    /** @param parent manager the copies live under (the run manager) */
    FreezeAudit(NDManager parent) {
        this.parent = parent;
    }

    /**
     * Copies the parameters a task must not change.
     *
     * @param model the host
     * @param frozen parameter name to gradient multiplier (0 where frozen), from {@link ColumnFreeze}
     */
    void begin(ModelView model, Map<String, NDArray> frozen) {
        close();
        copies = parent.newSubManager();
        multipliers = frozen;
        for (String name : frozen.keySet()) {
            NDArray copy = model.parameter(name).array().duplicate();
            copy.attach(copies);
            start.put(name, copy);
        }
    }

    /**
     * @param model the host, after the task's training
     * @return the largest absolute change of a frozen entry since {@link #begin}; 0 when nothing is frozen
     */
    double largestChange(ModelView model) {
        double largest = 0;
        if (copies == null) {
            return largest;
        }
        try (NDManager scratch = copies.newSubManager()) {
            for (Map.Entry<String, NDArray> e : start.entrySet()) {
                NDArray now = model.parameter(e.getKey()).array().duplicate();
                now.attach(scratch);
                NDArray keep = multipliers.get(e.getKey());
                NDArray frozenPart = scratch.ones(keep.getShape(), keep.getDataType()).sub(keep);
                largest = Math.max(largest, now.sub(e.getValue()).mul(frozenPart).abs().max().getFloat());
            }
        }
        return largest;
    }

    @Override
    public void close() {
        start.clear();
        if (copies != null) {
            copies.close();
            copies = null;
        }
    }
}
