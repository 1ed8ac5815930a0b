package io.graft.plugin.ewc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.plugin.support.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The EWC penalty folded into one quadratic per parameter, so that a step costs the same whatever the
 * number of past tasks. For consolidations {@code k} with Fisher {@code F_k} and anchor {@code a_k}:
 * <pre>
 *   Σ_k F_k·(θ − a_k)²  =  F·(θ − m)² + c,   F = Σ_k F_k,   m = Σ_k F_k·a_k / F,   c = Σ_k F_k·a_k² − F·m²  (≥ 0)
 * </pre>
 * element-wise, exactly; {@code m} and {@code c} are computed in double precision once per consolidation.
 * With a single consolidation (online EWC, or after the first task) {@code F} and {@code m} are that
 * consolidation's own arrays and {@code c = 0}.
 */
final class PenaltyTerms implements AutoCloseable {

    private record Term(NDArray fisher, NDArray center, Shape shape, double constant) {}

    private final Map<String, Term> terms;
    private final List<NDArray> owned;

    private PenaltyTerms(Map<String, Term> terms, List<NDArray> owned) {
        this.terms = terms;
        this.owned = owned;
    }

    /**
     * @param consolidations the remembered tasks, oldest first (not taken over)
     * @param manager owner of the folded arrays when there is more than one consolidation
     * @return the folded terms, or {@code null} when there is nothing to penalise
     */
    static PenaltyTerms fold(List<Consolidation> consolidations, NDManager manager) {
        if (consolidations.isEmpty()) {
            return null;
        }
        Map<String, Term> terms = new HashMap<>();
        if (consolidations.size() == 1) {
            Consolidation only = consolidations.get(0);
            for (Map.Entry<String, NDArray> e : only.fisher().entrySet()) {
                NDArray a = only.anchor().get(e.getKey());
                terms.put(e.getKey(), new Term(e.getValue(), a, a.getShape(), 0.0));
            }
            return new PenaltyTerms(terms, List.of());
        }
        List<NDArray> owned = new ArrayList<>();
        // the newest consolidation decides each parameter's shape; older ones of another shape are dropped
        Consolidation newest = consolidations.get(consolidations.size() - 1);
        Map<String, Shape> shapes = new HashMap<>();
        for (Consolidation c : consolidations) {
            c.anchor().forEach((name, a) -> shapes.put(name, a.getShape()));
        }
        for (Map.Entry<String, Shape> entry : shapes.entrySet()) {
            String name = entry.getKey();
            Shape shape = entry.getValue();
            int size = Math.toIntExact(shape.size());
            double[] f = new double[size];
            double[] fa = new double[size];
            double[] faa = new double[size];
            float[] latestAnchor = null;
            for (Consolidation c : consolidations) {
                NDArray fk = c.fisher().get(name);
                if (fk == null || !fk.getShape().equals(shape)) {
                    continue;
                }
                float[] fv = floats(fk);
                float[] av = floats(c.anchor().get(name));
                for (int i = 0; i < size; i++) {
                    double w = fv[i];
                    double x = av[i];
                    f[i] += w;
                    fa[i] += w * x;
                    faa[i] += w * x * x;
                }
                latestAnchor = av;
            }
            float[] fisher = new float[size];
            float[] center = new float[size];
            double constant = 0;
            for (int i = 0; i < size; i++) {
                fisher[i] = (float) f[i];
                if (f[i] > 0) {
                    double m = fa[i] / f[i];
                    center[i] = (float) m;
                    constant += Math.max(0.0, faa[i] - fa[i] * m);
                } else {
                    center[i] = latestAnchor[i];
                }
            }
            DataType type = newest.anchor().containsKey(name)
                    ? newest.anchor().get(name).getDataType() : DataType.FLOAT32;
            NDArray fArray = create(manager, fisher, shape, type);
            NDArray mArray = create(manager, center, shape, type);
            owned.add(fArray);
            owned.add(mArray);
            terms.put(name, new Term(fArray, mArray, shape, constant));
        }
        return new PenaltyTerms(terms, owned);
    }

    private static NDArray create(NDManager manager, float[] values, Shape shape, DataType type) {
        NDArray array = manager.create(values, shape);
        if (type == DataType.FLOAT32) {
            return array;
        }
        try (array) {
            return array.toType(type, true);
        }
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** @return how many parameters are penalised */
    int size() {
        return terms.size();
    }

    /** @return the constant {@code c}, summed over all elements of all parameters */
    double constant() {
        return terms.values().stream().mapToDouble(Term::constant).sum();
    }

    /**
     * {@code λ/2 · Σ F·(θ − m)² + λ/2 · c} over the live parameters of the model, built so that it takes part in
     * backward. Parameters unknown to the terms (grown after the last consolidation) or of another shape
     * (widened) are not penalised.
     *
     * @param model the model being trained
     * @param stepManager owner of every temporary
     * @param lambda penalty strength
     * @return the scalar penalty, or {@code null} if no parameter is penalised
     */
    NDArray penalty(ModelView model, NDManager stepManager, double lambda) {
        NDArray total = null;
        double constant = 0;
        for (Parameter p : model.parameters()) {
            Term t = terms.get(p.name());
            if (t == null) {
                continue;
            }
            NDArray theta = p.array();
            if (!theta.getShape().equals(t.shape())) {
                continue;
            }
            NDArray diff = theta.sub(t.center());
            diff.attach(stepManager); // the result of an op lands in its first operand's (the model's) manager
            NDArray term = diff.square().mul(t.fisher()).sum();
            constant += t.constant();
            total = total == null ? term : total.add(term);
        }
        if (total == null) {
            return null;
        }
        // float scalars: a Java double would promote the 0-d result (and the loss) to float64
        NDArray scaled = Tensors.scaled(total, lambda / 2);
        return constant == 0.0 ? scaled : scaled.add((float) (lambda / 2 * constant));
    }

    @Override
    public void close() {
        owned.forEach(NDArray::close);
    }
}
