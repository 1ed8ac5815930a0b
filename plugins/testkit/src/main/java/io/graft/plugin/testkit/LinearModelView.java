package io.graft.plugin.testkit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
public final class LinearModelView implements ModelView {

    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();

    /**
     * @param manager owner of the parameters (the "model manager")
     * @param w weights {@code (outputs, inputs)}
     * @param b biases {@code (outputs)}
     */
    public LinearModelView(NDManager manager, float[][] w, float[] b) {
        this.manager = manager;
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
        float[] w = parameters.get(0).array().toFloatArray();
        long[] shape = parameters.get(0).array().getShape().getShape();
        float[][] rows = new float[(int) shape[0]][(int) shape[1]];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(w, r * rows[r].length, rows[r], 0, rows[r].length);
        }
        return new LinearModelView(manager, rows, parameters.get(1).array().toFloatArray());
    }

    private void add(String name, NDArray array) {
        array.setRequiresGradient(true);
        parameters.add(new Parameter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray array() {
                return array;
            }

            @Override
            public NDArray gradient() {
                return array.getGradient();
            }
        });
    }

    /** @return the manager that owns the parameters */
    public NDManager manager() {
        return manager;
    }

    /**
     * Sets the live gradients, as a backward pass would leave them: each named parameter's gradient becomes
     * the given values (flattened in row-major order), every other parameter's becomes zero.
     *
     * @param gradients parameter name to its gradient's values
     */
    public void setGradients(Map<String, float[]> gradients) {
        try (NDManager scratch = manager.newSubManager()) {
            for (Parameter p : parameters) {
                NDArray g = p.array().getGradient();
                g.attach(scratch);
                g.muli(0);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray total = null;
                for (Parameter p : parameters) {
                    float[] values = gradients.getOrDefault(p.name(), new float[Math.toIntExact(p.array().size())]);
                    NDArray direction = scratch.create(values, p.array().getShape());
                    NDArray term = p.array().mul(direction).sum();
                    term.attach(scratch);
                    total = total == null ? term : total.add(term);
                }
                gc.backward(total);
            }
        }
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    @Override
    public long parameterCount() {
        return parameters.stream().mapToLong(p -> p.array().size()).sum();
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
            NDArray w = leaf(parameter("w").array(), scratch);
            NDArray b = leaf(parameter("b").array(), scratch);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = features.matMul(w.transpose()).add(b);
                gc.backward(loss.apply(logits));
            }
            grads.put("w", keep(w.getGradient(), out));
            grads.put("b", keep(b.getGradient(), out));
            grads.put("unused", out.zeros(new Shape(3)));
        }
        return grads;
    }

    private static NDArray leaf(NDArray parameter, NDManager scratch) {
        NDArray detached = parameter.stopGradient();
        detached.attach(scratch);
        NDArray copy = detached.duplicate();
        copy.setRequiresGradient(true);
        return copy;
    }

    private static NDArray keep(NDArray gradient, NDManager out) {
        NDArray copy = gradient.duplicate();
        copy.attach(out);
        return copy;
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
        float[] w = parameters.get(0).array().toFloatArray();
        float[] b = parameters.get(1).array().toFloatArray();
        int outputs = b.length;
        int inputs = w.length / outputs;
        double[] g = new double[w.length + b.length + (int) parameters.get(2).array().size()];
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
        for (Parameter p : parameters) {
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
        for (Parameter p : parameters) {
            size += (int) p.array().size();
        }
        double[] g = new double[size];
        int at = 0;
        for (Parameter p : parameters) {
            for (float v : p.gradient().toFloatArray()) {
                g[at++] = v;
            }
        }
        return g;
    }
}
