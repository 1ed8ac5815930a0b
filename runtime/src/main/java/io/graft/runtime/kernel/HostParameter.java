package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.Parameter;
import java.util.Objects;

/**
 * One trainable tensor of the host network. Its gradient is captured by the kernel after backward (the
 * wrapper lives in the step's manager) and released after the optimizer step; outside that window
 * {@link #gradient()} refuses.
 */
public final class HostParameter implements Parameter {

    private final String name;
    private final NDArray array;
    private NDArray gradient;
    private boolean absent;

    HostParameter(String name, NDArray array) {
        this.name = Objects.requireNonNull(name);
        this.array = Objects.requireNonNull(array);
    }

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
        if (gradient == null) {
            throw new IllegalStateException("the gradient of " + name + " is only available between backward and"
                    + " the optimizer step (GradientTransform.transform)");
        }
        return gradient;
    }

    /** @return the number of scalar weights */
    public long size() {
        return array.size();
    }

    /**
     * Takes the gradient the backward pass left in the parameter, owned by the step's manager; zeros if the
     * loss did not reach the parameter.
     */
    void capture(NDManager stepManager) {
        NDArray g = array.getGradient();
        if (g == null) {
            absent = true;
            gradient = stepManager.zeros(array.getShape(), array.getDataType());
        } else {
            absent = false;
            g.attach(stepManager);
            gradient = g;
        }
    }

    /** @return the captured gradient, or {@code null} when the loss did not reach the parameter */
    NDArray capturedGradient() {
        return absent ? null : gradient;
    }

    void release() {
        gradient = null;
        absent = false;
    }

    @Override
    public String toString() {
        return name + " " + array.getShape();
    }
}
