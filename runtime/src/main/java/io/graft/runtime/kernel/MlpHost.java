package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import io.graft.api.model.ModelView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The host network: a functional multi-layer perceptron {@code inputs → hidden... → outputs} with ReLU
 * between layers, its parameters held by Graft itself (no DJL {@code Block}, {@code ParameterStore} or
 * {@code Trainer}), so that later growth can add and remove them freely.
 *
 * <p>Layers are named {@code fc1, fc2, ...} for the hidden layers and {@code out} for the head; parameters
 * {@code fc1.weight} {@code (out, in)}, {@code fc1.bias} {@code (out)}, ..., {@code out.weight},
 * {@code out.bias}. Initialisation is PyTorch's default for linear layers, {@code U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in))} for weights and biases, drawn on the host side from a {@link Random} seeded by the run,
 * so it repeats exactly on any device.
 *
 * <p><b>{@link #gradients}</b> opens its own {@code GradientCollector}; PyTorch allows one open collector per
 * JVM, so it can be called only outside the training step's gradient scope: from {@code onRunStart},
 * {@code onTaskStart}, {@code Rehearsal.replay}, {@code GradientTransform.transform}, {@code afterStep} or
 * {@code onTaskEnd}, never from {@code Regularizer.penalty}. It saves the gradients of the step in progress,
 * computes, and restores them.
 */
public final class MlpHost extends Host {

    private final NDManager manager;
    private final int inputs;
    private final int outputs;
    /** Layer names, input to output; the head {@code out} last. Mutable: growth inserts layers. */
    private final List<String> layers = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> biases = new ArrayList<>();
    /** Where seeds join the forward pass (a snapshot holds a frozen copy); its parameters follow the layers'. */
    private SlotTap slots = SlotTap.NONE;

    /**
     * Creates and initialises the parameters in {@code manager} (the run manager, on the training device).
     *
     * @param manager owner of the parameters
     * @param inputs values per input sample
     * @param hidden widths of the hidden layers, possibly none
     * @param outputs number of logits
     * @param seed seed of the initialisation
     */
    public MlpHost(NDManager manager, int inputs, List<Integer> hidden, int outputs, long seed) {
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("inputs and outputs must be positive: " + inputs + ", " + outputs);
        }
        this.manager = manager;
        this.inputs = inputs;
        this.outputs = outputs;
        Random random = new Random(seed);
        int depth = hidden.size() + 1;
        int fanIn = inputs;
        for (int l = 0; l < depth; l++) {
            int width = l < hidden.size() ? hidden.get(l) : outputs;
            if (width <= 0) {
                throw new IllegalArgumentException("layer widths must be positive: " + hidden);
            }
            String layer = l < hidden.size() ? "fc" + (l + 1) : "out";
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            layers.add(layer);
            weights.add(uniform(random, bound, new Shape(width, fanIn)));
            biases.add(uniform(random, bound, new Shape(width)));
            fanIn = width;
        }
        reindex();
    }

    /** A frozen copy of {@code source}'s parameters, owned by {@code target}. */
    private MlpHost(MlpHost source, NDManager target) {
        super(source);
        this.manager = target;
        this.inputs = source.inputs;
        this.outputs = source.outputs;
        layers.addAll(source.layers);
        this.slots = source.slots.snapshot(target);
        for (int l = 0; l < source.weights.size(); l++) {
            weights.add(copy(source.weights.get(l), target));
            biases.add(copy(source.biases.get(l), target));
        }
        reindex();
    }

    /** Rebuilds the parameter list, view and index from the layers (after construction or a change). */
    private void reindex() {
        List<HostParameter> params = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            params.add(new HostParameter(layers.get(l) + ".weight", weights.get(l)));
            params.add(new HostParameter(layers.get(l) + ".bias", biases.get(l)));
        }
        params.addAll(slots.parameters());
        index(params);
    }

    /**
     * Replaces a layer's weight and bias (growth); the old arrays are closed.
     *
     * @param index the layer's position, input to output
     * @param weight its new weight {@code (out, in)}, owned by the run manager, requiring a gradient
     * @param bias its new bias {@code (out)}
     */
    void replaceLayer(int index, NDArray weight, NDArray bias) {
        NDArray oldWeight = weights.set(index, weight);
        NDArray oldBias = biases.set(index, bias);
        reindex();
        oldWeight.close();
        oldBias.close();
    }

    /**
     * Inserts a layer (growth).
     *
     * @param index where it goes, input to output (the layer now at that position moves one up)
     * @param name its name, unused so far
     * @param weight its weight {@code (out, in)}, owned by the run manager, requiring a gradient
     * @param bias its bias
     */
    void insertLayer(int index, String name, NDArray weight, NDArray bias) {
        if (layers.contains(name)) {
            throw new IllegalArgumentException("layer '" + name + "' exists already");
        }
        layers.add(index, name);
        weights.add(index, weight);
        biases.add(index, bias);
        reindex();
    }

    /**
     * Rebuilds the layers as a checkpoint recorded them (a grown network has other layers and widths than the
     * config says): every layer's weight and bias copied from {@code values}, the old arrays closed.
     *
     * @param names the layer names, input to output, the head last
     * @param values at least {@code name.weight} and {@code name.bias} of each
     */
    void restoreLayers(List<String> names, Map<String, NDArray> values) {
        List<NDArray> old = new ArrayList<>(weights);
        old.addAll(biases);
        layers.clear();
        weights.clear();
        biases.clear();
        for (String name : names) {
            layers.add(name);
            weights.add(copy(values.get(name + ".weight"), manager));
            biases.add(copy(values.get(name + ".bias"), manager));
        }
        reindex();
        old.forEach(NDArray::close);
    }

    /** @return the run manager, owner of the parameters */
    NDManager manager() {
        return manager;
    }

    private static NDArray copy(NDArray value, NDManager target) {
        // duplicate(): a copy of the storage (moving to the same device would share it)
        NDArray c = value.duplicate();
        c.attach(target);
        c.setRequiresGradient(true);
        return c;
    }

    @Override
    public ModelView snapshot(NDManager target) {
        return new MlpHost(this, target);
    }

    private NDArray uniform(Random random, float bound, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2f - 1f) * bound;
        }
        NDArray a = manager.create(values, shape);
        a.setRequiresGradient(true);
        return a;
    }

    /**
     * The forward pass without masks: results belong to the manager of {@code x}.
     *
     * @param x inputs {@code (n, inputs)}
     * @return logits {@code (n, outputs)}
     */
    public NDArray forward(NDArray x) {
        return forward(x, ForwardMasks.NONE);
    }

    /**
     * The forward pass with per-task masks: each weight multiplied by its mask before use, each hidden
     * layer's outputs by its unit mask after the ReLU. Results belong to the manager of {@code x}.
     *
     * @param x inputs {@code (n, inputs)}
     * @param masks the masks of this pass
     * @return logits {@code (n, outputs)}
     */
    NDArray forward(NDArray x, ForwardMasks masks) {
        NDArray h = x;
        int last = weights.size() - 1;
        for (int l = 0; l <= last; l++) {
            NDArray w = masked(weights.get(l), hostParameters().get(2 * l), masks, x.getManager());
            NDArray b = masked(biases.get(l), hostParameters().get(2 * l + 1), masks, x.getManager());
            h = Linear.linear(h, w, b).singletonOrThrow();
            if (l < last) {
                h = Activation.relu(h);
                NDArray units = masks.units(layers.get(l), Math.toIntExact(weights.get(l).getShape().get(0)));
                if (units != null) {
                    h = h.mul(units);
                }
                h = slots.at(layers.get(l), h);
            }
        }
        return h;
    }

    /** A value held constant, owned by the pass (a parameter's would otherwise pile up in the run manager). */
    static NDArray constant(NDArray value, NDManager pass) {
        NDArray c = value.stopGradient();
        c.attach(pass);
        return c;
    }

    private static NDArray masked(NDArray value, HostParameter parameter, ForwardMasks masks, NDManager pass) {
        NDArray m = masks.weight(parameter);
        if (m == null) {
            return value;
        }
        // the product would belong to the parameter's (run) manager and pile up there, one per pass
        NDArray product = value.mul(m);
        product.attach(pass);
        return product;
    }

    /** Sets where seeds join the forward pass (the run's seed slots); a snapshot takes a frozen copy of them. */
    void slotTap(SlotTap tap) {
        this.slots = tap == null ? SlotTap.NONE : tap;
        reindex();
    }

    @Override
    void seedsChanged() {
        reindex();
    }

    @Override
    NDArray forwardFrom(String layer, NDArray activation, ForwardMasks masks) {
        NDArray h = activation;
        int last = weights.size() - 1;
        for (int l = indexOf(layer) + 1; l <= last; l++) {
            NDManager pass = activation.getManager();
            NDArray w = constant(masked(weights.get(l), hostParameters().get(2 * l), masks, pass), pass);
            NDArray b = constant(masked(biases.get(l), hostParameters().get(2 * l + 1), masks, pass), pass);
            h = Linear.linear(h, w, b).singletonOrThrow();
            if (l < last) {
                h = Activation.relu(h);
                NDArray units = masks.units(layers.get(l), Math.toIntExact(weights.get(l).getShape().get(0)));
                if (units != null) {
                    h = h.mul(constant(units, pass));
                }
                h = slots.at(layers.get(l), h);
            }
        }
        return h;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    /** @return values per input sample */
    public int inputs() {
        return inputs;
    }

    /** @return the layer names, input to output, e.g. {@code fc1, fc2, out} */
    public List<String> layers() {
        return List.copyOf(layers);
    }

    /**
     * @param layer a layer name
     * @return its position, input to output
     * @throws IllegalArgumentException for an unknown layer
     */
    int indexOf(String layer) {
        int i = layers.indexOf(layer);
        if (i < 0) {
            throw new IllegalArgumentException("no layer '" + layer + "'; the layers are " + layers);
        }
        return i;
    }

    @Override
    int width(String layer) {
        return Math.toIntExact(weights.get(indexOf(layer)).getShape().get(0));
    }

    /**
     * @param index a layer's position
     * @return its weight {@code (out, in)}
     */
    NDArray weight(int index) {
        return weights.get(index);
    }

    /**
     * @param index a layer's position
     * @return its bias
     */
    NDArray bias(int index) {
        return biases.get(index);
    }
}
