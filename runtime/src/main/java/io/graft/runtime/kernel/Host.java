package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What the kernel, the evaluator, growth and the plugins' state need from a host network, whatever its kind:
 * the multi-layer perceptron ({@link MlpHost}) or the convolutional network ({@link ConvHost}). Parameters are
 * held by Graft itself, named {@code layer.weight}, {@code layer.bias}, ...; hidden layers come first, the head
 * {@code out} last.
 *
 * <p>An abstract class rather than an interface so that the kernel's hooks stay package-private.
 */
public abstract class Host implements ModelView {

    /** The live host a snapshot was taken from (its gradient scope is the one that matters), or this. */
    private final Host live;
    private boolean collecting;
    private Function<NDManager, ForwardMasks> viewMasks;
    private List<HostParameter> parameters = List.of();
    private List<Parameter> view = List.of();
    private final Map<String, HostParameter> byName = new LinkedHashMap<>();

    /** A live host. */
    Host() {
        this.live = this;
    }

    /** @param source the host a frozen copy is taken from */
    Host(Host source) {
        this.live = source.live;
    }

    /**
     * Sets the parameters, in order (after construction or a change of shape); hosts list their seeds' last.
     *
     * @param params every trainable tensor of the network
     */
    final void index(List<HostParameter> params) {
        this.parameters = List.copyOf(params);
        this.view = Collections.unmodifiableList(new ArrayList<Parameter>(params));
        byName.clear();
        for (HostParameter p : params) {
            byName.put(p.name(), p);
        }
    }

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
    public final List<HostParameter> hostParameters() {
        return parameters;
    }

    @Override
    public final List<Parameter> parameters() {
        return view;
    }

    @Override
    public final HostParameter parameter(String name) {
        HostParameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; the parameters are " + byName.keySet());
        }
        return p;
    }

    /**
     * @param name a parameter name
     * @return the parameter, or {@code null} when there is none of that name
     */
    final HostParameter parameterOrNull(String name) {
        return byName.get(name);
    }

    @Override
    public final long parameterCount() {
        long n = 0;
        for (HostParameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /**
     * In evaluation mode with the current task's masks ({@link #viewMasks}); inside the training step's gradient
     * scope the result is detached, so a plugin's look at the model never joins the step's graph.
     */
    @Override
    public final NDArray predict(NDArray features) {
        NDArray logits = forward(features, viewMasks(features.getManager()));
        return live.collecting ? logits.stopGradient() : logits;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Opens its own {@code GradientCollector}; PyTorch allows one at a time, so it refuses inside the training
     * step's gradient scope ({@code Regularizer.penalty}).
     */
    @Override
    public final Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager target) {
        if (live.collecting) {
            throw new IllegalStateException("ModelView.gradients() cannot be called inside the training step's"
                    + " gradient scope (Regularizer.penalty): PyTorch allows one GradientCollector at a time; call it"
                    + " from onTaskStart, replay, transform, afterStep or onTaskEnd");
        }
        return HostGradients.of(this, f -> forward(f, viewMasks(f.getManager())), features, loss, target);
    }

    /** The masks a view pass (predict, gradients) uses: the live host's source, none for a snapshot. */
    private ForwardMasks viewMasks(NDManager manager) {
        return live == this && viewMasks != null ? viewMasks.apply(manager) : ForwardMasks.NONE;
    }

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
    final void viewMasks(Function<NDManager, ForwardMasks> source) {
        this.viewMasks = source;
    }

    /** Marks the training step's gradient scope as open or closed. */
    final void collecting(boolean open) {
        this.collecting = open;
    }

    /** Takes every parameter's gradient into the step's manager after backward. */
    final void captureGradients(NDManager stepManager) {
        for (HostParameter p : parameters) {
            p.capture(stepManager);
        }
    }

    /** Forgets the captured gradients after the optimizer step. */
    final void releaseGradients() {
        for (HostParameter p : parameters) {
            p.release();
        }
    }
}
