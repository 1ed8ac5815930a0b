package io.graft.api.model;

import ai.djl.ndarray.NDArray;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One trainable tensor of the network, e.g. {@code fc1.weight}. The arrays are live: a plugin may read
 * them at any hook, and change them in place only where its contract says so (a gradient transform edits
 * {@link #gradient()}).
 */
@ProviderType
public interface Parameter {

    /** @return a stable, unique name such as {@code fc1.weight} */
    String name();

    /** @return the current value */
    NDArray array();

    /**
     * The gradient of the current step, valid from the end of backward until the optimizer step.
     *
     * @return the gradient, same shape as {@link #array()}
     */
    NDArray gradient();
}
