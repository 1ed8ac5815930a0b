package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.graft.api.model.ModelView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The convolutional host: blocks of {@code conv 3x3 (padding 1, bias) → BatchNorm → ReLU → max-pool 2x2}, then
 * the flattened feature maps through dense ReLU layers to the head {@code out}. Parameters are held by Graft, so
 * that growth can add and remove channels, units and blocks.
 *
 * <p>Layers are named {@code conv1, conv2, ...} (blocks), {@code fc1, ...} (dense hidden layers) and {@code out}.
 * Parameters: {@code conv1.weight (out, in, 3, 3)}, {@code conv1.bias}, {@code conv1.bn.gamma},
 * {@code conv1.bn.beta}, ..., {@code fc1.weight (out, in)}, {@code fc1.bias}, ..., {@code out.weight},
 * {@code out.bias}. Buffers (not trained by gradient): {@code conv1.bn.runningMean}, {@code conv1.bn.runningVar}.
 * Initialisation is PyTorch's default: {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))} for convolution and linear
 * weights and biases (fan-in of a convolution: input channels × 9), gamma 1, beta 0, running mean 0, running
 * variance 1, drawn on the host side from a {@link Random} seeded by the run, so it repeats on any device.
 *
 * <p>BatchNorm follows PyTorch: momentum 0.1 (the running statistics move a tenth of the way to each training
 * batch's, the variance unbiased), epsilon 1e-5. In the training step's forward pass it normalises by the
 * batch and updates its running statistics in place (PyTorch's {@code batch_norm} does so outside autograd);
 * everywhere else (evaluation, {@link #predict}, {@link #gradients}, snapshots, a seed's shadow path) it uses them
 * and changes nothing. So does a block held still in a training pass (a frozen layer, or every block in a
 * seed-only step, {@link #forwardTraining}): a layer that must come out of a step unchanged keeps its statistics.
 *
 * <p>Seed slots follow every block (after pooling) and every dense hidden layer: {@code r0} after {@code conv1},
 * and so on; a slot after a block sees {@code (n, C, h, w)} feature maps.
 *
 * <p>The samples arrive flattened {@code (n, channels × height × width)} and are reshaped here. The flattened
 * feature maps are channel-major, so channel {@code c} of the last block owns the first dense layer's input
 * columns {@code [c·h·w, (c+1)·h·w)}. Growth inserts blocks without pooling (they keep the spatial size).
 */
public final class ConvHost extends Host {

    /** BatchNorm's epsilon, PyTorch's default. */
    static final float EPSILON = 1e-5f;
    /** DJL's momentum is the share of the running statistics kept at each update: PyTorch's momentum 0.1. */
    private static final float KEEP = 0.9f;
    private static final Shape KERNEL_STRIDE = new Shape(1, 1);
    private static final Shape PADDING = new Shape(1, 1);
    private static final Shape POOL = new Shape(2, 2);

    /**
     * One convolutional block's arrays; growth replaces a block as a whole.
     *
     * @param name its layer name
     * @param weight {@code (out, in, 3, 3)}
     * @param bias {@code (out)}
     * @param gamma BatchNorm scale {@code (out)}
     * @param beta BatchNorm shift {@code (out)}
     * @param runningMean BatchNorm running mean {@code (out)}, no gradient
     * @param runningVar BatchNorm running variance {@code (out)}, no gradient
     * @param pool whether a 2x2 max-pool ends the block
     */
    record ConvBlock(String name, NDArray weight, NDArray bias, NDArray gamma, NDArray beta, NDArray runningMean,
                     NDArray runningVar, boolean pool) {

        /** @return output channels */
        int channels() {
            return Math.toIntExact(weight.getShape().get(0));
        }

        /** @return input channels */
        int inputs() {
            return Math.toIntExact(weight.getShape().get(1));
        }

        List<NDArray> arrays() {
            return List.of(weight, bias, gamma, beta, runningMean, runningVar);
        }

        /** @return this block with another weight (same output channels), the other arrays shared */
        ConvBlock withWeight(NDArray newWeight) {
            return new ConvBlock(name, newWeight, bias, gamma, beta, runningMean, runningVar, pool);
        }
    }

    private final NDManager manager;
    private final int channels;
    private final int height;
    private final int width;
    private final int outputs;
    private final List<ConvBlock> blocks = new ArrayList<>();
    /** Dense layers, the head {@code out} last. */
    private final List<String> dense = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> biases = new ArrayList<>();
    private Map<String, NDArray> buffers;
    private SlotTap slots = SlotTap.NONE;

    /**
     * Creates and initialises the parameters in {@code manager} (the run manager, on the training device).
     *
     * @param manager owner of the parameters
     * @param inputShape {@code channels, height, width} of a sample
     * @param conv output channels of each block, at least one block
     * @param hidden widths of the dense hidden layers, possibly none
     * @param outputs number of logits
     * @param seed seed of the initialisation
     * @throws IllegalArgumentException for a non-positive size, or more pooling blocks than the images allow
     */
    public ConvHost(NDManager manager, int[] inputShape, List<Integer> conv, List<Integer> hidden, int outputs,
                    long seed) {
        if (inputShape.length != 3 || inputShape[0] <= 0 || inputShape[1] <= 0 || inputShape[2] <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("the input shape (channels, height, width) and outputs must be positive: "
                    + java.util.Arrays.toString(inputShape) + ", " + outputs);
        }
        if (conv.isEmpty()) {
            throw new IllegalArgumentException("a convolutional host needs at least one block");
        }
        this.manager = manager;
        this.channels = inputShape[0];
        this.height = inputShape[1];
        this.width = inputShape[2];
        this.outputs = outputs;
        Random random = new Random(seed);
        int in = channels;
        int h = height;
        int w = width;
        for (int k = 0; k < conv.size(); k++) {
            int out = conv.get(k);
            if (out <= 0) {
                throw new IllegalArgumentException("channel counts must be positive: " + conv);
            }
            if (h < 2 || w < 2) {
                throw new IllegalArgumentException(conv.size() + " blocks each halving the image leave " + height + "x"
                        + width + " images without a pixel at block " + (k + 1) + "; use at most " + k + " blocks");
            }
            float bound = (float) (1.0 / Math.sqrt(in * 9.0));
            blocks.add(new ConvBlock("conv" + (k + 1), uniform(random, bound, new Shape(out, in, 3, 3)),
                    uniform(random, bound, new Shape(out)), trainable(manager.ones(new Shape(out))),
                    trainable(manager.zeros(new Shape(out))), manager.zeros(new Shape(out)),
                    manager.ones(new Shape(out)), true));
            in = out;
            h /= 2;
            w /= 2;
        }
        int fanIn = in * h * w;
        for (int l = 0; l <= hidden.size(); l++) {
            int units = l < hidden.size() ? hidden.get(l) : outputs;
            if (units <= 0) {
                throw new IllegalArgumentException("layer widths must be positive: " + hidden);
            }
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            dense.add(l < hidden.size() ? "fc" + (l + 1) : "out");
            weights.add(uniform(random, bound, new Shape(units, fanIn)));
            biases.add(uniform(random, bound, new Shape(units)));
            fanIn = units;
        }
        reindex();
    }

    /** A frozen copy of {@code source}'s parameters and buffers, owned by {@code target}. */
    private ConvHost(ConvHost source, NDManager target) {
        super(source);
        this.manager = target;
        this.channels = source.channels;
        this.height = source.height;
        this.width = source.width;
        this.outputs = source.outputs;
        this.slots = source.slots.snapshot(target);
        for (ConvBlock b : source.blocks) {
            blocks.add(new ConvBlock(b.name(), copy(b.weight(), target, true), copy(b.bias(), target, true),
                    copy(b.gamma(), target, true), copy(b.beta(), target, true), copy(b.runningMean(), target, false),
                    copy(b.runningVar(), target, false), b.pool()));
        }
        dense.addAll(source.dense);
        for (int l = 0; l < source.weights.size(); l++) {
            weights.add(copy(source.weights.get(l), target, true));
            biases.add(copy(source.biases.get(l), target, true));
        }
        reindex();
    }

    private void reindex() {
        List<HostParameter> params = new ArrayList<>();
        Map<String, NDArray> stats = new LinkedHashMap<>();
        for (ConvBlock b : blocks) {
            params.add(new HostParameter(b.name() + ".weight", b.weight()));
            params.add(new HostParameter(b.name() + ".bias", b.bias()));
            params.add(new HostParameter(b.name() + ".bn.gamma", b.gamma()));
            params.add(new HostParameter(b.name() + ".bn.beta", b.beta()));
            stats.put(b.name() + ".bn.runningMean", b.runningMean());
            stats.put(b.name() + ".bn.runningVar", b.runningVar());
        }
        for (int l = 0; l < dense.size(); l++) {
            params.add(new HostParameter(dense.get(l) + ".weight", weights.get(l)));
            params.add(new HostParameter(dense.get(l) + ".bias", biases.get(l)));
        }
        // the live seeds' parameters are the network's too: the optimizer, the plugins and the verifier see them
        params.addAll(slots.parameters());
        this.buffers = Collections.unmodifiableMap(stats);
        index(params);
    }

    private static NDArray copy(NDArray value, NDManager target, boolean trainable) {
        // duplicate(): a copy of the storage (moving to the same device would share it)
        NDArray c = value.duplicate();
        c.attach(target);
        if (trainable) {
            c.setRequiresGradient(true);
        }
        return c;
    }

    private NDArray uniform(Random random, float bound, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2f - 1f) * bound;
        }
        return trainable(manager.create(values, shape));
    }

    private static NDArray trainable(NDArray a) {
        a.setRequiresGradient(true);
        return a;
    }

    @Override
    public ModelView snapshot(NDManager target) {
        return new ConvHost(this, target);
    }

    @Override
    NDArray forward(NDArray x, ForwardMasks masks) {
        return forward(x, masks, false);
    }

    /**
     * The forward pass: each parameter multiplied by its mask before use; each block's output channels (after
     * pooling) and each dense hidden layer's outputs (after the ReLU) by the layer's unit mask, then handed to
     * the slot tap. Results belong to the manager of {@code x}.
     *
     * @param x inputs {@code (n, channels × height × width)}
     * @param masks the masks of this pass
     * @param training true in the training step: BatchNorm uses and records batch statistics
     * @return logits {@code (n, outputs)}
     */
    @Override
    NDArray forward(NDArray x, ForwardMasks masks, boolean training) {
        return run(x, masks, training, Set.of());
    }

    /** The training pass; the blocks in {@code still} run their BatchNorm on the running statistics, untouched. */
    @Override
    NDArray forwardTraining(NDArray x, ForwardMasks masks, Set<String> still) {
        return run(x, masks, true, still);
    }

    private NDArray run(NDArray x, ForwardMasks masks, boolean training, Set<String> still) {
        NDManager pass = x.getManager();
        long n = x.getShape().get(0);
        NDArray h = x.reshape(n, channels, height, width);
        for (ConvBlock b : blocks) {
            h = slots.at(b.name(), block(b, h, masks, pass, training && !still.contains(b.name()), false));
        }
        return dense(h.reshape(n, -1), 0, masks, pass, false);
    }

    /**
     * The layers after {@code layer}, every parameter (and unit mask) held constant, every BatchNorm on its running
     * statistics: a training seed's shadow path, which must neither train the host nor move its statistics.
     */
    @Override
    NDArray forwardFrom(String layer, NDArray activation, ForwardMasks masks) {
        NDManager pass = activation.getManager();
        int k = blockIndex(layer);
        if (k < 0) {
            int d = dense.indexOf(layer);
            if (d < 0 || d == dense.size() - 1) {
                throw new IllegalArgumentException("no hidden layer '" + layer + "'; the layers are " + layers());
            }
            return dense(activation, d + 1, masks, pass, true);
        }
        NDArray h = activation;
        for (int j = k + 1; j < blocks.size(); j++) {
            ConvBlock b = blocks.get(j);
            h = slots.at(b.name(), block(b, h, masks, pass, false, true));
        }
        return dense(h.reshape(h.getShape().get(0), -1), 0, masks, pass, true);
    }

    /**
     * @param batchStatistics whether BatchNorm normalises by the batch and updates its running statistics
     * @param constant whether the block's parameters and unit mask are held constant (no gradient reaches them)
     */
    private NDArray block(ConvBlock b, NDArray h, ForwardMasks masks, NDManager pass, boolean batchStatistics,
                          boolean constant) {
        String name = b.name();
        NDArray w = value(b.weight(), name + ".weight", masks, pass, constant);
        NDArray bias = value(b.bias(), name + ".bias", masks, pass, constant);
        h = Conv2d.conv2d(h, w, bias, KERNEL_STRIDE, PADDING, KERNEL_STRIDE, 1).singletonOrThrow();
        NDArray gamma = value(b.gamma(), name + ".bn.gamma", masks, pass, constant);
        NDArray beta = value(b.beta(), name + ".bn.beta", masks, pass, constant);
        h = BatchNorm.batchNorm(h, b.runningMean(), b.runningVar(), gamma, beta, 1, KEEP, EPSILON, batchStatistics)
                .singletonOrThrow();
        h = Activation.relu(h);
        if (b.pool()) {
            h = Pool.maxPool2d(h, POOL, POOL, new Shape(0, 0), false);
        }
        int c = b.channels();
        NDArray units = masks.units(name, c);
        if (units != null) {
            // a per-channel factor >= 0 commutes with the max-pool, so it may act after it (on fewer values)
            NDArray perChannel = units.reshape(1, c, 1, 1);
            perChannel.attach(pass);
            h = h.mul(constant ? MlpHost.constant(perChannel, pass) : perChannel);
        }
        return h;
    }

    /** The dense layers from position {@code from} on, the head last. */
    private NDArray dense(NDArray h, int from, ForwardMasks masks, NDManager pass, boolean constant) {
        int last = dense.size() - 1;
        for (int l = from; l <= last; l++) {
            String name = dense.get(l);
            NDArray w = value(weights.get(l), name + ".weight", masks, pass, constant);
            NDArray bias = value(biases.get(l), name + ".bias", masks, pass, constant);
            h = Linear.linear(h, w, bias).singletonOrThrow();
            if (l < last) {
                h = Activation.relu(h);
                NDArray units = masks.units(name, Math.toIntExact(weights.get(l).getShape().get(0)));
                if (units != null) {
                    h = h.mul(constant ? MlpHost.constant(units, pass) : units);
                }
                h = slots.at(name, h);
            }
        }
        return h;
    }

    private NDArray value(NDArray parameter, String name, ForwardMasks masks, NDManager pass, boolean constant) {
        NDArray v = masked(parameter, name, masks, pass);
        return constant ? MlpHost.constant(v, pass) : v;
    }

    private NDArray masked(NDArray value, String name, ForwardMasks masks, NDManager pass) {
        NDArray m = masks.weight(parameterOrNull(name));
        if (m == null) {
            return value;
        }
        // the product would belong to the parameter's (run) manager and pile up there, one per pass
        NDArray product = value.mul(m);
        product.attach(pass);
        return product;
    }

    @Override
    void slotTap(SlotTap tap) {
        this.slots = tap == null ? SlotTap.NONE : tap;
        reindex();
    }

    @Override
    void seedsChanged() {
        reindex();
    }

    @Override
    int width(String layer) {
        int k = blockIndex(layer);
        if (k >= 0) {
            return blocks.get(k).channels();
        }
        int d = dense.indexOf(layer);
        if (d < 0) {
            throw new IllegalArgumentException("no layer '" + layer + "'; the layers are " + layers());
        }
        return Math.toIntExact(weights.get(d).getShape().get(0));
    }

    @Override
    boolean convolutional(String layer) {
        return blockIndex(layer) >= 0;
    }

    private int blockIndex(String layer) {
        for (int k = 0; k < blocks.size(); k++) {
            if (blocks.get(k).name().equals(layer)) {
                return k;
            }
        }
        return -1;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public Map<String, NDArray> buffers() {
        return buffers;
    }

    @Override
    public List<String> layers() {
        List<String> names = new ArrayList<>();
        for (ConvBlock b : blocks) {
            names.add(b.name());
        }
        names.addAll(dense);
        return List.copyOf(names);
    }

    /** @return {@code channels, height, width} of a sample */
    public int[] inputShape() {
        return new int[] {channels, height, width};
    }

    @Override
    NDManager manager() {
        return manager;
    }

    /** @return the number of convolutional blocks */
    int blockCount() {
        return blocks.size();
    }

    /**
     * @param k a block's position, input to output
     * @return its arrays
     */
    ConvBlock block(int k) {
        return blocks.get(k);
    }

    /** @return pixels per channel of the last block's output, the first dense layer's columns per channel */
    int flatPixels() {
        int h = height;
        int w = width;
        for (ConvBlock b : blocks) {
            if (b.pool()) {
                h /= 2;
                w /= 2;
            }
        }
        return h * w;
    }

    /**
     * Replaces a block (growth); the old block's arrays that the new one does not reuse are closed.
     *
     * @param k its position
     * @param block the new arrays, owned by the run manager
     */
    void replaceBlock(int k, ConvBlock block) {
        ConvBlock old = blocks.set(k, block);
        reindex();
        for (NDArray a : old.arrays()) {
            if (!block.arrays().contains(a)) {
                a.close();
            }
        }
    }

    /**
     * Inserts a block (growth).
     *
     * @param k where it goes (the block now there moves one up)
     * @param block its arrays, its name unused so far
     */
    void insertBlock(int k, ConvBlock block) {
        if (layers().contains(block.name())) {
            throw new IllegalArgumentException("layer '" + block.name() + "' exists already");
        }
        blocks.add(k, block);
        reindex();
    }

    /** @return the dense layers' names, the head last */
    List<String> denseLayers() {
        return List.copyOf(dense);
    }

    /**
     * @param d a dense layer's position among the dense layers
     * @return its weight {@code (out, in)}
     */
    NDArray denseWeight(int d) {
        return weights.get(d);
    }

    /**
     * @param d a dense layer's position among the dense layers
     * @return its bias
     */
    NDArray denseBias(int d) {
        return biases.get(d);
    }

    /**
     * Replaces a dense layer's weight and bias (growth); the old arrays are closed unless reused.
     *
     * @param d its position among the dense layers
     * @param weight its new weight {@code (out, in)}, owned by the run manager, requiring a gradient
     * @param bias its new bias
     */
    void replaceDense(int d, NDArray weight, NDArray bias) {
        NDArray oldWeight = weights.set(d, weight);
        NDArray oldBias = biases.set(d, bias);
        reindex();
        if (oldWeight != weight) {
            oldWeight.close();
        }
        if (oldBias != bias) {
            oldBias.close();
        }
    }

    /**
     * Inserts a dense layer (growth).
     *
     * @param d where it goes among the dense layers
     * @param name its name, unused so far
     * @param weight its weight {@code (out, in)}
     * @param bias its bias
     */
    void insertDense(int d, String name, NDArray weight, NDArray bias) {
        if (layers().contains(name)) {
            throw new IllegalArgumentException("layer '" + name + "' exists already");
        }
        dense.add(d, name);
        weights.add(d, weight);
        biases.add(d, bias);
        reindex();
    }
}
