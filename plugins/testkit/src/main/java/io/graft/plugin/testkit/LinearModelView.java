package io.graft.plugin.testkit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A linear softmax classifier {@code logits = x·Wᵀ + b} on real DJL arrays, as a test double of the host's
 * {@link ModelView}. It has a third parameter, {@code unused} (three zeros), that no output depends on.
 *
 * <p>Like the host, {@link #gradients} leaves the live parameters' gradients alone, and
 * {@link Parameter#gradient()} is the live gradient, editable in place; {@link #setGradients} fills it as a
 * backward pass would.
 */
public final class LinearModelView extends LiveModelView {

    /**
     * @param manager owner of the parameters (the "model manager")
     * @param w weights {@code (outputs, inputs)}
     * @param b biases {@code (outputs)}
     */
    public LinearModelView(NDManager manager, float[][] w, float[] b) {
        super(manager);
        add("w", manager.create(w));
        add("b", manager.create(b));
        add("unused", manager.zeros(new Shape(3)));
    }

    /**
     * A frozen copy of this model, owned by {@code manager}.
     *
     * @param manager owner of the copy
     * @return the copy
     */
    @Override
    public ModelView snapshot(NDManager manager) {
        float[] w = parameters().get(0).array().toFloatArray();
        long[] shape = parameters().get(0).array().getShape().getShape();
        float[][] rows = new float[(int) shape[0]][(int) shape[1]];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(w, r * rows[r].length, rows[r], 0, rows[r].length);
        }
        return new LinearModelView(manager, rows, parameters().get(1).array().toFloatArray());
    }

    @Override
    public int outputs() {
        return Math.toIntExact(parameter("w").array().getShape().get(0));
    }

    @Override
    public NDArray predict(NDArray features) {
        try (NDManager scratch = features.getManager().newSubManager()) {
            NDArray w = parameter("w").array().stopGradient();
            NDArray b = parameter("b").array().stopGradient();
            w.attach(scratch);
            b.attach(scratch);
            NDArray logits = features.matMul(w.transpose()).add(b);
            logits.attach(features.getManager());
            return logits;
        }
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager out) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try (NDManager scratch = features.getManager().newSubManager()) {
            // fresh leaves so that nothing accumulates into the live parameters' gradients
            NDArray w = LiveModelView.leaf(parameter("w").array(), scratch);
            NDArray b = LiveModelView.leaf(parameter("b").array(), scratch);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = features.matMul(w.transpose()).add(b);
                gc.backward(loss.apply(logits));
            }
            grads.put("w", LiveModelView.keep(w.getGradient(), out));
            grads.put("b", LiveModelView.keep(b.getGradient(), out));
            grads.put("unused", out.zeros(new Shape(3)));
        }
        return grads;
    }

    /**
     * The gradient of the mean softmax cross-entropy of this model over some samples, computed by hand in
     * doubles from the current weights, flattened as {@link #flatGradients()} orders it: {@code ∂/∂b =
     * mean(p − e_y)}, {@code ∂/∂W = mean((p − e_y)·xᵀ)}, zeros for {@code unused}. A test oracle for plugins
     * that compute reference gradients (A-GEM, GEM).
     *
     * @param x samples {@code (n, inputs)}
     * @param y their labels
     * @return the flat gradient
     */
    public double[] crossEntropyGradient(float[][] x, long[] y) {
        float[] w = parameters().get(0).array().toFloatArray();
        float[] b = parameters().get(1).array().toFloatArray();
        int outputs = b.length;
        int inputs = w.length / outputs;
        double[] g = new double[w.length + b.length + (int) parameters().get(2).array().size()];
        for (int n = 0; n < x.length; n++) {
            double[] z = new double[outputs];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < outputs; k++) {
                z[k] = b[k];
                for (int i = 0; i < inputs; i++) {
                    z[k] += w[k * inputs + i] * x[n][i];
                }
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < outputs; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            for (int k = 0; k < outputs; k++) {
                double d = z[k] / sum - (y[n] == k ? 1 : 0);
                for (int i = 0; i < inputs; i++) {
                    g[k * inputs + i] += d * x[n][i] / x.length;
                }
                g[w.length + k] += d / x.length;
            }
        }
        return g;
    }

    /**
     * Sets every parameter's gradient from one flat vector ordered w, b, unused.
     *
     * @param g the flat gradient
     */
    public void setFlatGradients(double[] g) {
        Map<String, float[]> byName = new java.util.LinkedHashMap<>();
        int at = 0;
        for (Parameter p : parameters()) {
            float[] part = new float[(int) p.array().size()];
            for (int i = 0; i < part.length; i++) {
                part[i] = (float) g[at++];
            }
            byName.put(p.name(), part);
        }
        setGradients(byName);
    }

    /** @return every parameter's current gradient as one flat vector ordered w, b, unused */
    public double[] flatGradients() {
        int size = 0;
        for (Parameter p : parameters()) {
            size += (int) p.array().size();
        }
        double[] g = new double[size];
        int at = 0;
        for (Parameter p : parameters()) {
            for (float v : p.gradient().toFloatArray()) {
                g[at++] = v;
            }
        }
        return g;
    }
}
