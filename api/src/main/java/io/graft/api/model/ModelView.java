package io.graft.api.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.osgi.annotation.versioning.ProviderType;

/** What a plugin sees of the network being trained. */
@ProviderType
public interface ModelView {

    /** @return the trainable parameters, in a fixed order */
    List<Parameter> parameters();

    /**
     * @param name a parameter name, e.g. {@code fc1.weight}
     * @return that parameter
     * @throws IllegalArgumentException if there is none of that name
     */
    Parameter parameter(String name);

    /** @return the number of scalar weights in the trainable parameters */
    long parameterCount();

    /** @return the number of output logits (classes of the single head) */
    int outputs();

    /**
     * Evaluation-mode logits without a gradient: dropout off, normalisation statistics untouched.
     *
     * @param features inputs {@code (n, ...)}
     * @return logits {@code (n, outputs)}, owned by the manager of {@code features}
     */
    NDArray predict(NDArray features);

    /**
     * The gradient of a scalar loss of the logits with respect to every trainable parameter, computed in
     * evaluation mode without disturbing the gradients of the step in progress. EWC builds its Fisher
     * from this; A-GEM its reference gradient.
     *
     * @param features inputs {@code (n, ...)}
     * @param loss maps the logits {@code (n, outputs)} to a scalar loss
     * @param manager owner of the returned gradients
     * @return parameter name to gradient, in {@link #parameters()} order
     */
    Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager manager);

    /**
     * A frozen copy of the network as it is now: later training does not change it. LwF keeps the previous
     * task's model this way to distil from it; its {@link #predict} and {@link #gradients} work like this
     * view's.
     *
     * @param manager owner of the copy's parameters; closing it releases the copy
     * @return the copy
     * @since 1.1
     */
    ModelView snapshot(NDManager manager);
}
