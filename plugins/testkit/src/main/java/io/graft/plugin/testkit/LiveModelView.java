package io.graft.plugin.testkit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the kit's model views ({@link LinearModelView}, {@link MaskedMlp}) share: named parameters on real DJL
 * arrays, kept as the host keeps them: each array requires a gradient, and {@link Parameter#gradient()} is its
 * live gradient, editable in place.
 */
abstract class LiveModelView implements ModelView {

    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();

    /** @param manager owner of the parameters (the "model manager") */
    LiveModelView(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Adds a parameter; the array starts requiring a gradient.
     *
     * @param name its name
     * @param array its values
     */
    final void add(String name, NDArray array) {
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
    public final NDManager manager() {
        return manager;
    }

    /** @return the parameters in the order they were added */
    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    /**
     * @param name a parameter's name
     * @return the parameter
     * @throws IllegalArgumentException when there is none of that name
     */
    @Override
    public final Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    @Override
    public final long parameterCount() {
        return parameters.stream().mapToLong(p -> p.array().size()).sum();
    }

    /**
     * Sets the live gradients, as a backward pass would leave them: each named parameter's gradient becomes
     * the given values (flattened in row-major order), every other parameter's becomes zero.
     *
     * @param gradients parameter name to its gradient's values
     */
    public final void setGradients(Map<String, float[]> gradients) {
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

    /**
     * @param parameter a live parameter
     * @param scratch owner of the copy
     * @return a fresh leaf with the parameter's values, requiring a gradient, so that nothing accumulates into
     *     the live parameter's gradient
     */
    static NDArray leaf(NDArray parameter, NDManager scratch) {
        NDArray detached = parameter.stopGradient();
        detached.attach(scratch);
        NDArray copy = detached.duplicate();
        copy.setRequiresGradient(true);
        return copy;
    }

    /**
     * @param gradient a gradient in a scratch manager
     * @param out owner of the copy
     * @return a copy of it owned by {@code out}
     */
    static NDArray keep(NDArray gradient, NDManager out) {
        NDArray copy = gradient.duplicate();
        copy.attach(out);
        return copy;
    }
}
