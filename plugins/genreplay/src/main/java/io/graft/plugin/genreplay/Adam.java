package io.graft.plugin.genreplay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, 2015) over named arrays, with its moments in the open so that they can be saved: per
 * array {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)}. β₁ = 0.9, β₂ = 0.999, ε = 1e-8. Each update runs outside
 * autograd, in place, and zeroes the gradient it used (PyTorch accumulates gradients across backward passes).
 */
final class Adam {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long steps;

    /** @param learningRate η */
    Adam(double learningRate) {
        this.learningRate = (float) learningRate;
    }

    /**
     * One update of every array from its gradient.
     *
     * @param weights the arrays, recording gradients, a backward pass done
     * @param manager owner of moments created on an array's first update
     */
    void step(Map<String, NDArray> weights, NDManager manager) {
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            // created outside the scope below, which closes everything made inside it
            first.computeIfAbsent(e.getKey(), k -> manager.zeros(e.getValue().getShape()));
            second.computeIfAbsent(e.getKey(), k -> manager.zeros(e.getValue().getShape()));
        }
        steps++;
        float corrected = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                NDArray w = e.getValue();
                NDArray g = w.getGradient();
                NDArray m = first.get(e.getKey());
                NDArray v = second.get(e.getKey());
                m.muli(BETA1).addi(g.mul(1 - BETA1));
                v.muli(BETA2).addi(g.square().muli(1 - BETA2));
                w.subi(m.div(v.sqrt().addi(EPSILON)).muli(corrected));
                g.subi(g);
            }
        }
    }

    /** @return updates applied so far (t) */
    long steps() {
        return steps;
    }

    /** @return the first moments by name, live */
    Map<String, NDArray> firstMoments() {
        return Collections.unmodifiableMap(first);
    }

    /** @return the second moments by name, live */
    Map<String, NDArray> secondMoments() {
        return Collections.unmodifiableMap(second);
    }

    /**
     * Takes over a saved state.
     *
     * @param steps updates applied
     * @param m first moments, now owned by this optimizer's state
     * @param v second moments, same names
     */
    void restore(long steps, Map<String, NDArray> m, Map<String, NDArray> v) {
        this.steps = steps;
        first.clear();
        second.clear();
        first.putAll(m);
        second.putAll(v);
    }
}
