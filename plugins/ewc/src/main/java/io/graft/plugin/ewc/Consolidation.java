package io.graft.plugin.ewc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.plugin.support.Tensors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What EWC remembers of one consolidation: the Fisher diagonal and the anchor parameters θ* per parameter
 * name. In per-task mode there is one per finished task; in online mode a single one that is merged into.
 * Owns its arrays.
 */
final class Consolidation implements AutoCloseable {

    private final int task;
    private final Map<String, NDArray> fisher;
    private final Map<String, NDArray> anchor;

    /**
     * @param task index of the (latest) task consolidated
     * @param fisher parameter name to Fisher diagonal
     * @param anchor parameter name to anchor value; only names present in both maps with equal shapes are kept
     */
    Consolidation(int task, Map<String, NDArray> fisher, Map<String, NDArray> anchor) {
        this.task = task;
        Map<String, NDArray> f = new LinkedHashMap<>();
        Map<String, NDArray> a = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : anchor.entrySet()) {
            NDArray fe = fisher.get(e.getKey());
            if (fe != null && fe.getShape().equals(e.getValue().getShape())) {
                f.put(e.getKey(), fe);
                a.put(e.getKey(), e.getValue());
            } else {
                e.getValue().close();
            }
        }
        for (Map.Entry<String, NDArray> e : fisher.entrySet()) {
            if (!f.containsKey(e.getKey())) {
                e.getValue().close();
            }
        }
        this.fisher = Collections.unmodifiableMap(f);
        this.anchor = Collections.unmodifiableMap(a);
    }

    /** @return index of the (latest) task consolidated */
    int task() {
        return task;
    }

    /** @return parameter name to Fisher diagonal */
    Map<String, NDArray> fisher() {
        return fisher;
    }

    /** @return parameter name to anchor θ* */
    Map<String, NDArray> anchor() {
        return anchor;
    }

    /**
     * Online EWC: {@code F ← γ·F_old + F_new}, anchored at the newest parameters. A parameter whose shape
     * changed, or that is gone from the new consolidation, keeps only the new term (or none).
     *
     * @param newer the consolidation of the task that just ended; its Fisher arrays are updated in place
     * @param gamma decay of the old Fisher
     * @return {@code newer}, now holding the running Fisher; this consolidation is closed
     */
    Consolidation mergeOnline(Consolidation newer, double gamma) {
        for (Map.Entry<String, NDArray> e : newer.fisher.entrySet()) {
            NDArray old = fisher.get(e.getKey());
            if (old != null && old.getShape().equals(e.getValue().getShape()) && gamma != 0.0) {
                try (NDArray decayed = old.mul((float) gamma)) {
                    e.getValue().addi(decayed);
                }
            }
        }
        close();
        return newer;
    }

    /**
     * Hands every array over to another manager, moving it to that manager's device if needed.
     *
     * @param manager the new owner
     * @return the moved consolidation; this one must not be used any more
     */
    Consolidation moveTo(NDManager manager) {
        Map<String, NDArray> f = new LinkedHashMap<>(fisher);
        Map<String, NDArray> a = new LinkedHashMap<>(anchor);
        Tensors.moveTo(f, manager);
        Tensors.moveTo(a, manager);
        return new Consolidation(task, f, a);
    }

    @Override
    public void close() {
        fisher.values().forEach(NDArray::close);
        anchor.values().forEach(NDArray::close);
    }
}
