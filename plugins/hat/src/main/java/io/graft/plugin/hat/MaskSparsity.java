package io.graft.plugin.hat;

import io.graft.plugin.support.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HAT's mask-sparsity measure for one task (Sec. 2.6): the share of the units still free of earlier tasks that
 * this task's gates take, {@code Σ a_t(1 − a^{<t}) / Σ (1 − a^{<t})}. Over all hidden layers it is the penalty
 * that keeps capacity for later tasks; per layer it is AdaHAT's network sparsity.
 */
final class MaskSparsity {

    private final Map<String, NDArray> free;
    private final Map<String, Double> freeUnits;
    private final double allFreeUnits;

    /**
     * @param history the finished tasks' masks
     * @param chain the layers
     * @param manager owner of the free-unit masks (lives for the task)
     */
    MaskSparsity(UnitHistory history, LayerChain chain, NDManager manager) {
        free = new LinkedHashMap<>();
        freeUnits = new LinkedHashMap<>();
        double all = 0;
        for (LayerChain.Layer l : chain.hidden()) {
            float[] f = UnitImportance.complement(history.cumulative(l.name()));
            double n = 0;
            for (float v : f) {
                n += v;
            }
            free.put(l.name(), manager.create(f));
            freeUnits.put(l.name(), n);
            all += n;
        }
        allFreeUnits = all;
    }

    /**
     * The penalty of a training step, from the gates of its forward pass (so it joins the same graph).
     *
     * @param gates layer to this step's soft gate
     * @param c the penalty's weight
     * @return {@code c · Σ_l Σ_i a_t(1 − a^{<t}) / Σ_l Σ_i (1 − a^{<t})}, or {@code null} without gates
     */
    NDArray penalty(Map<String, NDArray> gates, double c) {
        NDArray taken = null;
        for (Map.Entry<String, NDArray> e : gates.entrySet()) {
            NDArray f = free.get(e.getKey());
            if (f == null) {
                continue;
            }
            NDArray layer = e.getValue().mul(f).sum();
            taken = taken == null ? layer : taken.add(layer);
        }
        // every unit taken by earlier tasks: nothing left to keep free, the numerator is 0 as well
        return taken == null ? null : Tensors.scaled(taken, c / Math.max(allFreeUnits, 1));
    }

    /**
     * AdaHAT's network sparsity of each layer, without a gradient path.
     *
     * @param gates layer to this step's soft gate
     * @param manager owner of the results
     * @return layer to a scalar {@code Σ a_t(1 − a^{<t}) / Σ (1 − a^{<t})} of that layer
     */
    Map<String, NDArray> perLayer(Map<String, NDArray> gates, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : gates.entrySet()) {
            NDArray f = free.get(e.getKey());
            if (f == null) {
                continue;
            }
            NDArray gate = e.getValue().stopGradient();
            gate.attach(manager);
            out.put(e.getKey(), gate.mul(f).sum().div((float) Math.max(freeUnits.get(e.getKey()), 1)));
        }
        return out;
    }
}
