package io.graft.plugin.pruning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A model view over hand-written real DJL arrays, with a settable gradient per parameter. */
final class TinyNet implements ModelView {

    private final NDManager manager;
    private final Map<String, NDArray> values = new LinkedHashMap<>();
    private final Map<String, NDArray> gradients = new LinkedHashMap<>();

    TinyNet(NDManager manager) {
        this.manager = manager;
    }

    TinyNet add(String name, float[] values, long... shape) {
        this.values.put(name, manager.create(values, new Shape(shape)));
        this.gradients.put(name, manager.zeros(new Shape(shape)));
        return this;
    }

    void set(String name, float... v) {
        values.get(name).set(v);
    }

    void gradient(String name, float... g) {
        gradients.get(name).set(g);
    }

    float[] values(String name) {
        return values.get(name).toFloatArray();
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (String n : values.keySet()) {
            all.add(parameter(n));
        }
        return all;
    }

    @Override
    public Parameter parameter(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return new Parameter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray array() {
                return values.get(name);
            }

            @Override
            public NDArray gradient() {
                return gradients.get(name);
            }
        };
    }

    @Override
    public long parameterCount() {
        return values.values().stream().mapToLong(NDArray::size).sum();
    }

    @Override
    public int outputs() {
        return 2;
    }

    @Override
    public NDArray predict(NDArray features) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ModelView snapshot(NDManager target) {
        throw new UnsupportedOperationException();
    }
}
