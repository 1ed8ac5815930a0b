package io.graft.runtime.kernel;

import static io.graft.runtime.kernel.Slices.gatherColumnBlocks;
import static io.graft.runtime.kernel.Slices.gatherRows;
import static io.graft.runtime.kernel.Slices.zeroColumnBlocksFrom;
import static io.graft.runtime.kernel.Slices.zeroRowsFrom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.runtime.kernel.ConvHost.ConvBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The shape changes the kernel offers growth policies on the convolutional host, each preserving the function in
 * evaluation mode and carrying the optimizer's state over (kept entries keep their velocity, new ones start at
 * zero; pruning masks follow the weights they mask). Every change is reported as a {@link GrowthEvent}.
 *
 * <ul>
 *   <li>widening a block (Net2Net for channels): each new channel copies an existing one, its filter, bias,
 *       BatchNorm scale and shift and running statistics, so that it computes the same values; the next layer's
 *       inputs from every replicated channel (the next block's input channels, or the channel's {@code h·w}
 *       columns of the first dense layer) are shared among its copies. Dense hidden layers widen the same way
 *       ({@link HostGrowth}).</li>
 *   <li>inserting an identity block: a 3x3 Dirac convolution (1 at the centre from channel {@code i} to
 *       {@code i}, bias 0) whose BatchNorm is the identity in evaluation (running mean 0, variance 1, scale
 *       {@code sqrt(1 + eps)}, shift 0), without pooling: the ReLU passes the non-negative input unchanged.
 *       After a dense layer: an identity dense layer.</li>
 *   <li>removing channels or units: every tensor indexed by them shrinks, the next layer's inputs with them.</li>
 * </ul>
 *
 * <p>The arithmetic runs on the host side in float32, once per change, outside autograd.
 */
final class ConvGrowth extends HostEditor {

    private final ConvHost host;

    /**
     * @param host the network
     * @param optimizer its optimizer, whose state follows the changes
     * @param pruningMasks the kernel's pruning masks by parameter name (updated in place)
     * @param random source of the Net2Net choices and noise, seeded by the run
     * @param events where each change is reported
     */
    ConvGrowth(ConvHost host, Sgd optimizer, Map<String, NDArray> pruningMasks, Random random,
               Consumer<GrowthEvent> events) {
        super(host, optimizer, pruningMasks, random, events);
        this.host = host;
    }

    @Override
    public int width(String layer) {
        int k = blockIndex(layer);
        if (k >= 0) {
            return host.block(k).channels();
        }
        return rows(host.denseWeight(denseIndex(layer)));
    }

    @Override
    public void widen(String layer, int width, double noise) {
        widen(layer, width, noise, 0.0);
    }

    @Override
    public void widen(String layer, int width, double noise, double spread) {
        if (!(spread >= 0 && spread < 1)) {
            throw new IllegalArgumentException("widen " + layer + ": spread must be in [0, 1), got " + spread);
        }
        hidden(layer);
        int n = width(layer);
        if (width <= n) {
            throw new IllegalArgumentException("widen " + layer + ": the new width " + width + " must be larger than"
                    + " the current " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("widen " + layer + ": noise must be a finite number >= 0, got " + noise);
        }
        long before = host.parameterCount();
        int[] source = new int[width];
        int[] copies = new int[n];
        for (int j = 0; j < width; j++) {
            source[j] = j < n ? j : random.nextInt(n);
            copies[source[j]]++;
        }
        double[] share = shares(source, copies, spread);
        regroup(layer, source, n, noise, share);
        String unit = blockIndex(layer) >= 0 ? "channels" : "units";
        events.accept(new GrowthEvent(step, task, plugin, "widen", layer, String.format(Locale.ROOT,
                "%d -> %d %s, noise %s, spread %s", n, width, unit, noise, spread), before, host.parameterCount()));
    }

    /** Each new unit's share of its source's outgoing weights, as {@link HostGrowth} draws them. */
    private double[] shares(int[] source, int[] copies, double spread) {
        double[] share = new double[source.length];
        if (spread == 0) {
            for (int j = 0; j < source.length; j++) {
                share[j] = 1.0 / copies[source[j]];
            }
            return share;
        }
        double[] total = new double[copies.length];
        for (int j = 0; j < source.length; j++) {
            share[j] = copies[source[j]] == 1 ? 1.0 : 1 + spread * (2 * random.nextDouble() - 1);
            total[source[j]] += share[j];
        }
        for (int j = 0; j < source.length; j++) {
            share[j] /= total[source[j]];
        }
        return share;
    }

    @Override
    public String insertIdentity(String layer) {
        hidden(layer);
        int n = width(layer);
        long before = host.parameterCount();
        int k = blockIndex(layer);
        String name;
        if (k >= 0) {
            name = freshName("conv");
            float[] dirac = new float[n * n * 9];
            for (int i = 0; i < n; i++) {
                dirac[(i * n + i) * 9 + 4] = 1f;
            }
            float[] gamma = new float[n];
            // the running variance is 1: the BatchNorm divides by sqrt(1 + eps), gamma multiplies it back
            Arrays.fill(gamma, (float) Math.sqrt(1.0 + ConvHost.EPSILON));
            float[] ones = new float[n];
            Arrays.fill(ones, 1f);
            host.insertBlock(k + 1, new ConvBlock(name, parameter(dirac, n, n, 3, 3), parameter(new float[n], n),
                    parameter(gamma, n), parameter(new float[n], n), buffer(new float[n], n), buffer(ones, n), false));
        } else {
            name = freshName("fc");
            float[] identity = new float[n * n];
            for (int i = 0; i < n; i++) {
                identity[i * n + i] = 1f;
            }
            host.insertDense(denseIndex(layer) + 1, name, parameter(identity, n, n), parameter(new float[n], n));
        }
        String detail = k >= 0 ? String.format(Locale.ROOT, "%d-channel Dirac block after %s", n, layer)
                : String.format(Locale.ROOT, "%d x %d identity after %s", n, n, layer);
        events.accept(new GrowthEvent(step, task, plugin, "insert_identity", name, detail, before,
                host.parameterCount()));
        return name;
    }

    @Override
    public void removeUnits(String layer, int[] keep) {
        hidden(layer);
        int n = width(layer);
        if (keep == null || keep.length == 0) {
            throw new IllegalArgumentException("removeUnits " + layer + ": keep at least one unit (a layer cannot be"
                    + " emptied)");
        }
        for (int j = 0; j < keep.length; j++) {
            if (keep[j] < 0 || keep[j] >= n || (j > 0 && keep[j] <= keep[j - 1])) {
                throw new IllegalArgumentException("removeUnits " + layer + ": the units to keep must be ascending"
                        + " indices in [0, " + n + "), got " + Arrays.toString(keep));
            }
        }
        if (keep.length == n) {
            return;
        }
        long before = host.parameterCount();
        regroup(layer, keep.clone(), keep.length, 0.0, null);
        String unit = blockIndex(layer) >= 0 ? "channels" : "units";
        events.accept(new GrowthEvent(step, task, plugin, "remove_units", layer, String.format(Locale.ROOT,
                "%d -> %d %s", n, keep.length, unit), before, host.parameterCount()));
    }

    /**
     * Rebuilds a hidden layer with the units {@code source} names (new unit {@code j} copies old unit
     * {@code source[j]}) and the next layer's inputs to match.
     *
     * @param layer a hidden layer
     * @param source per new unit, the old unit it copies
     * @param fresh the first new unit that is a copy rather than the original (its state starts at zero, its
     *     incoming weights take the noise); {@code source.length} when none is
     * @param noise standard deviation of the noise on the copies' incoming weights
     * @param share per new unit, its share of the outgoing weights, or {@code null} to keep them
     */
    private void regroup(String layer, int[] source, int fresh, double noise, double[] share) {
        int n = width(layer);
        int m = source.length;
        int k = blockIndex(layer);
        // the consumer's values are read before anything changes
        Next next = next(layer);
        float[] nextValues = gatherColumnBlocks(next.weight.toFloatArray(), next.rows, n, next.block, source, share);
        if (k >= 0) {
            ConvBlock b = host.block(k);
            int row = b.inputs() * 9;
            float[] w = noisy(gatherRows(b.weight().toFloatArray(), row, source), row, fresh, noise);
            host.replaceBlock(k, new ConvBlock(b.name(), parameter(w, m, b.inputs(), 3, 3),
                    parameter(gatherRows(b.bias().toFloatArray(), 1, source), m),
                    parameter(gatherRows(b.gamma().toFloatArray(), 1, source), m),
                    parameter(gatherRows(b.beta().toFloatArray(), 1, source), m),
                    buffer(gatherRows(b.runningMean().toFloatArray(), 1, source), m),
                    buffer(gatherRows(b.runningVar().toFloatArray(), 1, source), m), b.pool()));
            followRows(layer + ".weight", row, source, fresh, new Shape(m, b.inputs(), 3, 3));
            for (String vector : List.of(".bias", ".bn.gamma", ".bn.beta")) {
                followRows(layer + vector, 1, source, fresh, new Shape(m));
            }
        } else {
            int d = denseIndex(layer);
            NDArray weight = host.denseWeight(d);
            int in = cols(weight);
            float[] w = noisy(gatherRows(weight.toFloatArray(), in, source), in, fresh, noise);
            host.replaceDense(d, parameter(w, m, in), parameter(gatherRows(host.denseBias(d).toFloatArray(), 1,
                    source), m));
            followRows(layer + ".weight", in, source, fresh, new Shape(m, in));
            followRows(layer + ".bias", 1, source, fresh, new Shape(m));
        }
        Shape nextShape = next.conv ? new Shape(next.rows, m, 3, 3) : new Shape(next.rows, (long) m * next.block);
        next.replace(parameter(nextValues, nextShape.getShape()));
        String name = next.layer + ".weight";
        carry(name, v -> zeroColumnBlocksFrom(gatherColumnBlocks(v, next.rows, n, next.block, source, null), next.rows,
                m, next.block, fresh), nextShape);
        remask(name, v -> gatherColumnBlocks(v, next.rows, n, next.block, source, null), nextShape);
    }

    /** A unit-indexed tensor's optimizer state and pruning mask follow its rows; copies start at zero state. */
    private void followRows(String name, int row, int[] source, int fresh, Shape shape) {
        carry(name, v -> zeroRowsFrom(gatherRows(v, row, source), row, fresh), shape);
        remask(name, v -> gatherRows(v, row, source), shape);
    }

    private float[] noisy(float[] rows, int row, int fresh, double noise) {
        if (noise > 0) {
            for (int i = fresh * row; i < rows.length; i++) {
                rows[i] += (float) (random.nextGaussian() * noise);
            }
        }
        return rows;
    }

    /** The layer that reads a hidden layer's outputs, with how many of its values per row belong to one unit. */
    private final class Next {
        final String layer;
        final boolean conv;
        final NDArray weight;
        final int rows;
        final int block;
        private final int index;

        Next(String layer, boolean conv, int index, NDArray weight, int block) {
            this.layer = layer;
            this.conv = conv;
            this.index = index;
            this.weight = weight;
            this.rows = ConvGrowth.rows(weight);
            this.block = block;
        }

        void replace(NDArray newWeight) {
            if (conv) {
                host.replaceBlock(index, host.block(index).withWeight(newWeight));
            } else {
                host.replaceDense(index, newWeight, host.denseBias(index));
            }
        }
    }

    private Next next(String layer) {
        int k = blockIndex(layer);
        if (k >= 0 && k + 1 < host.blockCount()) {
            ConvBlock b = host.block(k + 1);
            return new Next(b.name(), true, k + 1, b.weight(), 9);
        }
        int d = k >= 0 ? 0 : denseIndex(layer) + 1;
        return new Next(host.denseLayers().get(d), false, d, host.denseWeight(d), k >= 0 ? host.flatPixels() : 1);
    }

    private void hidden(String layer) {
        if (seeded(layer)) {
            throw new IllegalArgumentException("'" + layer + "' has a seed in one of its slots; its width cannot change"
                    + " while the seed lives (cull it first)");
        }
        if (blockIndex(layer) < 0 && denseIndex(layer) == host.denseLayers().size() - 1) {
            List<String> all = host.layers();
            throw new IllegalArgumentException("'" + layer + "' is the head; only hidden layers ("
                    + all.subList(0, all.size() - 1) + ") can be changed");
        }
    }

    /** @return the layer's position among the blocks, or -1 for a dense layer */
    private int blockIndex(String layer) {
        for (int k = 0; k < host.blockCount(); k++) {
            if (host.block(k).name().equals(layer)) {
                return k;
            }
        }
        return -1;
    }

    /** @return the layer's position among the dense layers */
    private int denseIndex(String layer) {
        int d = host.denseLayers().indexOf(layer);
        if (d < 0) {
            throw new IllegalArgumentException("no layer '" + layer + "'; the layers are " + host.layers());
        }
        return d;
    }

    private String freshName(String prefix) {
        int k = 1;
        while (host.layers().contains(prefix + k)) {
            k++;
        }
        return prefix + k;
    }

    private NDArray parameter(float[] values, long... shape) {
        NDArray a = host.manager().create(values, new Shape(shape));
        a.setRequiresGradient(true);
        return a;
    }

    private NDArray buffer(float[] values, long... shape) {
        return host.manager().create(values, new Shape(shape));
    }

    private void carry(String name, UnaryOperator<float[]> change, Shape shape) {
        NDArray v = optimizer.state().get(name);
        if (v == null) {
            return;
        }
        try (NDManager scratch = host.manager().newSubManager()) {
            optimizer.setState(name, scratch.create(change.apply(v.toFloatArray()), shape));
        }
    }

    private void remask(String name, UnaryOperator<float[]> change, Shape shape) {
        NDArray mask = pruningMasks.get(name);
        if (mask == null) {
            return;
        }
        NDArray changed = host.manager().create(change.apply(mask.toFloatArray()), shape)
                .toType(mask.getDataType(), false);
        pruningMasks.put(name, changed);
        mask.close();
    }

    private static int rows(NDArray a) {
        return Math.toIntExact(a.getShape().get(0));
    }

    private static int cols(NDArray a) {
        return Math.toIntExact(a.getShape().get(1));
    }

    @Override
    public void addUnits(String layer, int count) {
        throw new IllegalArgumentException("addUnits " + layer + ": fresh channels are not offered on the convolutional"
                + " host yet; use widen (Net2Net) or the mlp host");
    }
}
