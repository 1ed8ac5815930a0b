package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the kernel, the evaluator, growth and the plugins' state need from a host network, whatever its kind:
 * the multi-layer perceptron ({@link MlpHost}) or the convolutional network ({@link ConvHost}). Parameters are
 * held by Graft itself, named {@code layer.weight}, {@code layer.bias}, ...; hidden layers come first, the head
 * {@code out} last.
 *
 * <p>An abstract class rather than an interface so that the kernel's hooks stay package-private.
 */
public abstract class Host implements ModelView {

    /**
     * The forward pass with per-task masks, in evaluation mode: results belong to the manager of {@code x}.
     *
     * @param x inputs {@code (n, inputs)}, flattened
     * @param masks the masks of this pass
     * @return logits {@code (n, outputs)}
     */
    abstract NDArray forward(NDArray x, ForwardMasks masks);

    /**
     * The forward pass in training or evaluation mode. Only hosts with batch statistics tell the two apart: in
     * training BatchNorm normalises by the batch and updates its running statistics, in evaluation it uses them.
     *
     * @param x inputs {@code (n, inputs)}, flattened
     * @param masks the masks of this pass
     * @param training true in the training step's forward pass only
     * @return logits {@code (n, outputs)}
     */
    NDArray forward(NDArray x, ForwardMasks masks, boolean training) {
        return forward(x, masks);
    }

    /**
     * The training step's forward pass with some layers held still: their BatchNorm runs in evaluation mode (on
     * its running statistics, which it leaves untouched), as a frozen layer must come out of a step unchanged,
     * buffers included. Hosts without batch statistics ignore {@code still}.
     *
     * @param x inputs {@code (n, inputs)}, flattened
     * @param masks the masks of this pass
     * @param still the layers whose batch statistics are neither used nor updated (frozen ones; every layer in
     *     a seed-only step)
     * @return logits {@code (n, outputs)}
     */
    NDArray forwardTraining(NDArray x, ForwardMasks masks, Set<String> still) {
        return forward(x, masks, true);
    }

    /**
     * The tail of a forward pass from a hidden layer's (replaced) output: the layers after {@code layer}, every
     * parameter held constant and BatchNorm on its running statistics (left untouched), so that a loss on the
     * result trains only what produced {@code activation} (a training seed's shadow path). Results belong to the
     * manager of {@code activation}.
     *
     * @param layer a hidden layer
     * @param activation what that layer's output is replaced by, shaped like it
     * @param masks the pass's masks
     * @return logits
     */
    abstract NDArray forwardFrom(String layer, NDArray activation, ForwardMasks masks);

    /**
     * @param layer a hidden layer
     * @return its width: the units of a dense layer, the channels of a convolutional block
     * @throws IllegalArgumentException for an unknown layer
     */
    abstract int width(String layer);

    /**
     * @param layer a layer
     * @return whether its output is feature maps {@code (n, C, h, w)} (a convolutional block) rather than units
     */
    boolean convolutional(String layer) {
        return false;
    }

    /** Rebuilds the parameter list after a seed was germinated or removed (the slots' parameters are the host's). */
    abstract void seedsChanged();

    /** @return the parameters with the kernel's extra methods, in {@link #parameters()} order */
    public abstract List<HostParameter> hostParameters();

    @Override
    public abstract HostParameter parameter(String name);

    /** @return the layer names, input to output, the head {@code out} last */
    public abstract List<String> layers();

    /**
     * The host's state that is not trained by gradient (BatchNorm's running statistics), by name, e.g.
     * {@code conv1.bn.runningMean}: live arrays, to read or compare, not to change. Empty for hosts without any.
     *
     * @return the buffers, in layer order
     */
    public Map<String, NDArray> buffers() {
        return Map.of();
    }

    /** @return the run manager, owner of the parameters */
    abstract NDManager manager();

    /** Sets where seeds join the forward pass; a snapshot takes a frozen copy of them. */
    abstract void slotTap(SlotTap tap);

    /** Sets where {@code predict} and {@code gradients} take their masks from (the current task's, evaluation). */
    abstract void viewMasks(Function<NDManager, ForwardMasks> source);

    /** Marks the training step's gradient scope as open or closed. */
    abstract void collecting(boolean open);

    /** Takes every parameter's gradient into the step's manager after backward. */
    abstract void captureGradients(NDManager stepManager);

    /** Forgets the captured gradients after the optimizer step. */
    abstract void releaseGradients();
}
