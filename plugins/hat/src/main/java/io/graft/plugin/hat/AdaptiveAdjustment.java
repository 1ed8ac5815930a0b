package io.graft.plugin.hat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.ModelView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdaHAT's gradient adjustment (Wang et al. 2024, Eqs. 8 and 9): the gradient of every parameter of hidden layer
 * {@code l} is multiplied by {@code r_l/(m + r_l)}, where {@code m} is the parameter's importance (the summative
 * mask aggregated by {@code min} over its two units, the unit alone for a bias and for the first layer) and
 * {@code r_l = α/(ε + sparsity_l)} with the layer's network sparsity of the step. A parameter no earlier task used
 * ({@code m = 0}) keeps its whole gradient; a much used one in a layer that takes few new units barely moves,
 * while one in a layer that runs out of room may move more. Modes as in the reference: {@code adahat_no_sum}
 * puts the task's number (from 1) for every {@code m}; {@code adahat_no_reg} takes {@code r = α/ε}. The head is
 * guarded as in HAT (rows of earlier classes frozen), with {@link HeadClipping#UNITS} also adjusted like a layer
 * without gates on its output side, at the last hidden layer's rate.
 */
final class AdaptiveAdjustment implements GradientProtection {

    private final AdjustmentMode mode;
    private final double alpha;
    private final double epsilon;
    private final HeadClipping head;
    private final Map<String, NDArray> importance = new LinkedHashMap<>();
    private final Map<String, NDArray> guard = new LinkedHashMap<>();
    private LayerChain chain;
    private double taskNumber = 1;

    /**
     * @param settings the mode, α and ε
     */
    AdaptiveAdjustment(AdaHatSettings settings) {
        this.mode = settings.mode();
        this.alpha = settings.alpha();
        this.epsilon = settings.epsilon();
        this.head = settings.hat().headClipping();
    }

    @Override
    public void prepare(LayerChain chain, UnitHistory history, Set<Integer> earlierClasses, NDManager taskManager) {
        this.chain = chain;
        importance.clear();
        guard.clear();
        taskNumber = history.finishedTasks() + 1;
        float[] below = null;
        for (LayerChain.Layer l : chain.hidden()) {
            float[] own = history.summative(l.name());
            if (mode != AdjustmentMode.ADAHAT_NO_SUM) {
                importance.put(l.weight(), taskManager.create(UnitImportance.weights(own, below, l.units(), l.inputs()),
                        new Shape(l.units(), l.inputs())));
                if (l.bias() != null) {
                    importance.put(l.bias(), taskManager.create(own));
                }
            }
            below = own;
        }
        LayerChain.Layer h = chain.head();
        if (head == HeadClipping.UNITS && mode != AdjustmentMode.ADAHAT_NO_SUM) {
            importance.put(h.weight(), taskManager.create(UnitImportance.weights(null, below, h.units(), h.inputs()),
                    new Shape(h.units(), h.inputs())));
        }
        float[] w = HeadGuard.weights(h, earlierClasses, null);
        if (!HeadGuard.allOnes(w)) {
            guard.put(h.weight(), taskManager.create(w, new Shape(h.units(), h.inputs())));
        }
        if (h.bias() != null) {
            float[] b = HeadGuard.bias(h, earlierClasses);
            if (!HeadGuard.allOnes(b)) {
                guard.put(h.bias(), taskManager.create(b));
            }
        }
    }

    @Override
    public boolean needsSparsity() {
        return mode != AdjustmentMode.ADAHAT_NO_REG;
    }

    @Override
    public void apply(ModelView model, Map<String, NDArray> sparsity, NDManager stepManager) {
        for (LayerChain.Layer l : chain.hidden()) {
            NDArray r = rate(l.name(), sparsity, stepManager);
            scale(model, l.weight(), r, stepManager);
            if (l.bias() != null) {
                scale(model, l.bias(), r, stepManager);
            }
        }
        LayerChain.Layer h = chain.head();
        if (head == HeadClipping.UNITS) {
            List<LayerChain.Layer> hidden = chain.hidden();
            scale(model, h.weight(), rate(hidden.get(hidden.size() - 1).name(), sparsity, stepManager), stepManager);
        }
        for (Map.Entry<String, NDArray> e : guard.entrySet()) {
            model.parameter(e.getKey()).gradient().muli(e.getValue());
        }
    }

    @Override
    public double capacity(Map<String, NDArray> sparsity, NDManager stepManager) {
        double sum = 0;
        long count = 0;
        for (LayerChain.Layer l : chain.hidden()) {
            NDArray r = rate(l.name(), sparsity, stepManager);
            long weights = (long) l.units() * l.inputs();
            sum += total(adjustment(l.weight(), r, stepManager), weights);
            count += weights;
            if (l.bias() != null) {
                sum += total(adjustment(l.bias(), r, stepManager), l.units());
                count += l.units();
            }
        }
        return count == 0 ? 1 : sum / count;
    }

    /**
     * @param parameter a parameter's name
     * @param r the rate {@code r} of its layer, a scalar
     * @param stepManager owner of the result
     * @return {@code r/(m + r)}: of the parameter's shape, or a scalar in {@code adahat_no_sum}
     */
    NDArray adjustment(String parameter, NDArray r, NDManager stepManager) {
        NDArray m = importance.get(parameter);
        NDArray denominator = m == null ? r.add((float) taskNumber) : r.add(m);
        NDArray factor = r.div(denominator);
        factor.attach(stepManager);
        return factor;
    }

    /**
     * @param layer a hidden layer
     * @param sparsity layer to network sparsity
     * @param stepManager owner of the result
     * @return {@code r = α/(ε + sparsity)}, or {@code α/ε} in {@code adahat_no_reg}, as a scalar array
     */
    NDArray rate(String layer, Map<String, NDArray> sparsity, NDManager stepManager) {
        NDArray s = mode == AdjustmentMode.ADAHAT_NO_REG ? null : sparsity.get(layer);
        // no_reg, or a layer without a gate this step: the sparsity term counts as 0
        if (s == null) {
            return stepManager.create((float) (alpha / epsilon));
        }
        NDArray r = s.add((float) epsilon).pow(-1f).mul((float) alpha);
        r.attach(stepManager);
        return r;
    }

    /** Sums a factor over a parameter of {@code size} entries; a scalar factor stands for all of them. */
    private static double total(NDArray factor, long size) {
        return factor.size() == 1 ? (double) factor.getFloat() * size : factor.sum().getFloat();
    }

    private void scale(ModelView model, String parameter, NDArray r, NDManager stepManager) {
        model.parameter(parameter).gradient().muli(adjustment(parameter, r, stepManager));
    }
}
