package io.graft.plugin.hat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.ModelView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * HAT's gradient clipping (Sec. 2.3): the gradient of weight {@code w_ij} of layer {@code l} is multiplied by
 * {@code 1 − min(a_i^{<t}(l), a_j^{<t}(l−1))} with the cumulative binarised masks of the finished tasks, a bias
 * by {@code 1 − a_i^{<t}(l)}; the first layer's input side has no gate. A weight into or out of a unit an
 * earlier task uses therefore stays exactly where it was (plain SGD: {@code w − lr·0 = w}). The head's rows of
 * earlier classes are frozen; with {@link HeadClipping#UNITS} its columns of used units too.
 */
final class HatClipping implements GradientProtection {

    private final HeadClipping head;
    private final Map<String, NDArray> factors = new LinkedHashMap<>();
    private double capacity = 1;

    /**
     * @param head how the head is protected
     */
    HatClipping(HeadClipping head) {
        this.head = head;
    }

    @Override
    public void prepare(LayerChain chain, UnitHistory history, Set<Integer> earlierClasses, NDManager taskManager) {
        factors.clear();
        double sum = 0;
        long count = 0;
        float[] below = null;
        for (LayerChain.Layer l : chain.hidden()) {
            float[] own = history.cumulative(l.name());
            float[] w = UnitImportance.complement(UnitImportance.weights(own, below, l.units(), l.inputs()));
            float[] b = UnitImportance.complement(own);
            put(l.weight(), w, new Shape(l.units(), l.inputs()), taskManager);
            if (l.bias() != null) {
                put(l.bias(), b, new Shape(l.units()), taskManager);
                sum += total(b);
                count += b.length;
            }
            sum += total(w);
            count += w.length;
            below = own;
        }
        capacity = count == 0 ? 1 : sum / count;
        LayerChain.Layer h = chain.head();
        float[] columns = head == HeadClipping.UNITS ? UnitImportance.complement(below) : null;
        put(h.weight(), HeadGuard.weights(h, earlierClasses, columns), new Shape(h.units(), h.inputs()), taskManager);
        if (h.bias() != null) {
            put(h.bias(), HeadGuard.bias(h, earlierClasses), new Shape(h.units()), taskManager);
        }
    }

    @Override
    public boolean needsSparsity() {
        return false;
    }

    @Override
    public void apply(ModelView model, Map<String, NDArray> sparsity, NDManager stepManager) {
        for (Map.Entry<String, NDArray> e : factors.entrySet()) {
            model.parameter(e.getKey()).gradient().muli(e.getValue());
        }
    }

    @Override
    public double capacity(Map<String, NDArray> sparsity, NDManager stepManager) {
        return capacity;
    }

    /** @return parameter name to the factor its gradient is multiplied by (only those not all 1) */
    Map<String, NDArray> factors() {
        return factors;
    }

    private void put(String parameter, float[] f, Shape shape, NDManager manager) {
        if (!HeadGuard.allOnes(f)) {
            factors.put(parameter, manager.create(f, shape));
        }
    }

    private static double total(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
