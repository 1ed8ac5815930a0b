package io.graft.plugin.genreplay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.plugin.testkit.LinearModelView;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A {@link LinearModelView} that takes samples of any shape and flattens them first, as the MLP host does. */
final class FlatModel implements ModelView {

    private final ModelView linear;

    FlatModel(ModelView linear) {
        this.linear = linear;
    }

    /** @return the model it flattens for */
    LinearModelView linear() {
        return (LinearModelView) linear;
    }

    private static NDArray flat(NDArray features) {
        return features.reshape(features.getShape().get(0), -1);
    }

    @Override
    public List<Parameter> parameters() {
        return linear.parameters();
    }

    @Override
    public Parameter parameter(String name) {
        return linear.parameter(name);
    }

    @Override
    public long parameterCount() {
        return linear.parameterCount();
    }

    @Override
    public int outputs() {
        return linear.outputs();
    }

    @Override
    public NDArray predict(NDArray features) {
        return linear.predict(flat(features));
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager manager) {
        return linear.gradients(flat(features), loss, manager);
    }

    @Override
    public ModelView snapshot(NDManager manager) {
        return new FlatModel(linear.snapshot(manager));
    }
}
