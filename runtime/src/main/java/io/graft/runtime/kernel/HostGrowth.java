package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The shape changes the kernel offers growth policies on the MLP host, each function-preserving and each
 * carrying the optimizer's state over: the entries a change keeps keep their velocity, new entries start at
 * zero. Pruning masks follow the weights they mask (a copied weight copies its mask). Every change is
 * reported as a {@link GrowthEvent}.
 *
 * <p>The arithmetic runs on the host side in float32, once per change: a change is rare and small beside
 * training, and doing it outside autograd on plain arrays keeps it exact and reproducible on any device.
 */
final class HostGrowth extends HostEditor {

    private final MlpHost host;

    /**
     * @param host the network
     * @param optimizer its optimizer, whose state follows the changes
     * @param pruningMasks the kernel's pruning masks by parameter name (updated in place)
     * @param random source of the Net2Net choices and noise, seeded by the run
     * @param events where each change is reported
     */
    HostGrowth(MlpHost host, Sgd optimizer, Map<String, NDArray> pruningMasks, Random random,
               Consumer<GrowthEvent> events) {
        super(host, optimizer, pruningMasks, random, events);
        this.host = host;
    }

    @Override
    public int width(String layer) {
        return rows(host.weight(host.indexOf(layer)));
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
        int l = hidden(layer);
        NDArray w = host.weight(l);
        int n = rows(w);
        int in = cols(w);
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
        NDArray next = host.weight(l + 1);
        int out = rows(next);
        String nextLayer = host.layers().get(l + 1);

        float[] wv = w.toFloatArray();
        float[] bv = host.bias(l).toFloatArray();
        float[] nv = next.toFloatArray();
        float[] w2 = gatherRows(wv, in, source);
        float[] b2 = gatherRows(bv, 1, source);
        if (noise > 0) {
            for (int j = n; j < width; j++) {
                for (int k = 0; k < in; k++) {
                    w2[j * in + k] += (float) (random.nextGaussian() * noise);
                }
            }
        }
        double[] share = shares(source, copies, spread);
        float[] n2 = new float[out * width];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < width; j++) {
                n2[o * width + j] = (float) (nv[o * n + source[j]] * share[j]);
            }
        }
        NDArray nextBias = host.bias(l + 1).duplicate();
        nextBias.setRequiresGradient(true);
        host.replaceLayer(l, parameter(w2, width, in), parameter(b2, width));
        host.replaceLayer(l + 1, parameter(n2, out, width), nextBias);

        // optimizer state and masks: kept entries keep theirs, copies start at zero state and copy the mask
        carry(layer + ".weight", v -> zeroRowsFrom(gatherRows(v, in, source), in, n), new Shape(width, in));
        carry(layer + ".bias", v -> zeroRowsFrom(gatherRows(v, 1, source), 1, n), new Shape(width));
        carry(nextLayer + ".weight", v -> zeroColumnsFrom(gatherColumns(v, out, n, source), out, width, n),
                new Shape(out, width));
        remask(layer + ".weight", v -> gatherRows(v, in, source), new Shape(width, in));
        remask(layer + ".bias", v -> gatherRows(v, 1, source), new Shape(width));
        remask(nextLayer + ".weight", v -> gatherColumns(v, out, n, source), new Shape(out, width));
        events.accept(new GrowthEvent(step, task, plugin, "widen", layer, String.format(Locale.ROOT,
                "%d -> %d units, noise %s, spread %s", n, width, noise, spread), before, host.parameterCount()));
    }

    /**
     * Each unit's share of its source's outgoing weights: {@code 1/copies} with spread 0 (Net2Net's equal split);
     * otherwise random values in {@code [(1 − spread), (1 + spread)]}, normalised per source to sum to one.
     */
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
    public void addUnits(String layer, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("addUnits " + layer + ": count must be at least 1, got " + count);
        }
        int l = hidden(layer);
        NDArray w = host.weight(l);
        int n = rows(w);
        int in = cols(w);
        int width = n + count;
        long before = host.parameterCount();
        NDArray next = host.weight(l + 1);
        int out = rows(next);
        String nextLayer = host.layers().get(l + 1);
        int[] source = new int[width];
        for (int j = 0; j < width; j++) {
            source[j] = j < n ? j : 0;
        }
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] w2 = gatherRows(w.toFloatArray(), in, source);
        float[] b2 = gatherRows(host.bias(l).toFloatArray(), 1, source);
        for (int j = n; j < width; j++) {
            for (int k = 0; k < in; k++) {
                w2[j * in + k] = (random.nextFloat() * 2f - 1f) * bound;
            }
        }
        for (int j = n; j < width; j++) {
            b2[j] = (random.nextFloat() * 2f - 1f) * bound;
        }
        // the new units' outgoing weights start at zero: the next layer does not see them yet
        float[] n2 = zeroColumnsFrom(gatherColumns(next.toFloatArray(), out, n, source), out, width, n);
        NDArray nextBias = host.bias(l + 1).duplicate();
        nextBias.setRequiresGradient(true);
        host.replaceLayer(l, parameter(w2, width, in), parameter(b2, width));
        host.replaceLayer(l + 1, parameter(n2, out, width), nextBias);

        carry(layer + ".weight", v -> zeroRowsFrom(gatherRows(v, in, source), in, n), new Shape(width, in));
        carry(layer + ".bias", v -> zeroRowsFrom(gatherRows(v, 1, source), 1, n), new Shape(width));
        carry(nextLayer + ".weight", v -> zeroColumnsFrom(gatherColumns(v, out, n, source), out, width, n),
                new Shape(out, width));
        // fresh units are unpruned: their mask entries are 1
        remask(layer + ".weight", v -> setRowsFrom(gatherRows(v, in, source), in, n, 1f), new Shape(width, in));
        remask(layer + ".bias", v -> setRowsFrom(gatherRows(v, 1, source), 1, n, 1f), new Shape(width));
        remask(nextLayer + ".weight", v -> setColumnsFrom(gatherColumns(v, out, n, source), out, width, n, 1f),
                new Shape(out, width));
        events.accept(new GrowthEvent(step, task, plugin, "add_units", layer, String.format(Locale.ROOT,
                "%d -> %d units (fresh, outgoing weights zero)", n, width), before, host.parameterCount()));
    }

    @Override
    public String insertIdentity(String layer) {
        int l = hidden(layer);
        int n = rows(host.weight(l));
        long before = host.parameterCount();
        float[] identity = new float[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1f;
        }
        String name = freshName();
        host.insertLayer(l + 1, name, parameter(identity, n, n), parameter(new float[n], n));
        events.accept(new GrowthEvent(step, task, plugin, "insert_identity", name, String.format(Locale.ROOT,
                "%d x %d identity after %s", n, n, layer), before, host.parameterCount()));
        return name;
    }

    @Override
    public void removeUnits(String layer, int[] keep) {
        int l = hidden(layer);
        NDArray w = host.weight(l);
        int n = rows(w);
        int in = cols(w);
        if (keep == null || keep.length == 0) {
            throw new IllegalArgumentException("removeUnits " + layer + ": keep at least one unit (a layer cannot be"
                    + " emptied)");
        }
        for (int j = 0; j < keep.length; j++) {
            if (keep[j] < 0 || keep[j] >= n || (j > 0 && keep[j] <= keep[j - 1])) {
                throw new IllegalArgumentException("removeUnits " + layer + ": the units to keep must be ascending"
                        + " indices in [0, " + n + "), got " + java.util.Arrays.toString(keep));
            }
        }
        if (keep.length == n) {
            return;
        }
        long before = host.parameterCount();
        NDArray next = host.weight(l + 1);
        int out = rows(next);
        String nextLayer = host.layers().get(l + 1);
        int[] source = keep.clone();
        float[] w2 = gatherRows(w.toFloatArray(), in, source);
        float[] b2 = gatherRows(host.bias(l).toFloatArray(), 1, source);
        float[] n2 = gatherColumns(next.toFloatArray(), out, n, source);
        NDArray nextBias = host.bias(l + 1).duplicate();
        nextBias.setRequiresGradient(true);
        host.replaceLayer(l, parameter(w2, keep.length, in), parameter(b2, keep.length));
        host.replaceLayer(l + 1, parameter(n2, out, keep.length), nextBias);
        carry(layer + ".weight", v -> gatherRows(v, in, source), new Shape(keep.length, in));
        carry(layer + ".bias", v -> gatherRows(v, 1, source), new Shape(keep.length));
        carry(nextLayer + ".weight", v -> gatherColumns(v, out, n, source), new Shape(out, keep.length));
        remask(layer + ".weight", v -> gatherRows(v, in, source), new Shape(keep.length, in));
        remask(layer + ".bias", v -> gatherRows(v, 1, source), new Shape(keep.length));
        remask(nextLayer + ".weight", v -> gatherColumns(v, out, n, source), new Shape(out, keep.length));
        events.accept(new GrowthEvent(step, task, plugin, "remove_units", layer, String.format(Locale.ROOT,
                "%d -> %d units", n, keep.length), before, host.parameterCount()));
    }

    private int hidden(String layer) {
        int l = host.indexOf(layer);
        if (seeded(layer)) {
            throw new IllegalArgumentException("'" + layer + "' has a seed in one of its slots; its width cannot change"
                    + " while the seed lives (cull it first)");
        }
        if (l == host.layers().size() - 1) {
            throw new IllegalArgumentException("'" + layer + "' is the head; only hidden layers ("
                    + host.layers().subList(0, host.layers().size() - 1) + ") can be changed");
        }
        return l;
    }

    private String freshName() {
        int k = 1;
        while (host.layers().contains("fc" + k)) {
            k++;
        }
        return "fc" + k;
    }

    private NDArray parameter(float[] values, long... shape) {
        NDArray a = host.manager().create(values, new Shape(shape));
        a.setRequiresGradient(true);
        return a;
    }

    private void carry(String name, java.util.function.UnaryOperator<float[]> change, Shape shape) {
        NDArray v = optimizer.state().get(name);
        if (v == null) {
            return;
        }
        try (NDManager scratch = host.manager().newSubManager()) {
            optimizer.setState(name, scratch.create(change.apply(v.toFloatArray()), shape));
        }
    }

    private void remask(String name, java.util.function.UnaryOperator<float[]> change, Shape shape) {
        NDArray m = pruningMasks.get(name);
        if (m == null) {
            return;
        }
        NDArray grown = host.manager().create(change.apply(m.toFloatArray()), shape).toType(m.getDataType(), false);
        pruningMasks.put(name, grown);
        m.close();
    }

    private static float[] gatherRows(float[] values, int rowLength, int[] source) {
        float[] r = new float[source.length * rowLength];
        for (int j = 0; j < source.length; j++) {
            System.arraycopy(values, source[j] * rowLength, r, j * rowLength, rowLength);
        }
        return r;
    }

    private static float[] gatherColumns(float[] values, int rows, int oldColumns, int[] source) {
        float[] r = new float[rows * source.length];
        for (int o = 0; o < rows; o++) {
            for (int j = 0; j < source.length; j++) {
                r[o * source.length + j] = values[o * oldColumns + source[j]];
            }
        }
        return r;
    }

    private static float[] zeroRowsFrom(float[] values, int rowLength, int firstNew) {
        return setRowsFrom(values, rowLength, firstNew, 0f);
    }

    private static float[] zeroColumnsFrom(float[] values, int rows, int columns, int firstNew) {
        return setColumnsFrom(values, rows, columns, firstNew, 0f);
    }

    /** Sets every row from {@code firstNew} on (new units' entries) to {@code value}. */
    private static float[] setRowsFrom(float[] values, int rowLength, int firstNew, float value) {
        java.util.Arrays.fill(values, firstNew * rowLength, values.length, value);
        return values;
    }

    /** Sets every column from {@code firstNew} on (inputs from new units) to {@code value}. */
    private static float[] setColumnsFrom(float[] values, int rows, int columns, int firstNew, float value) {
        for (int o = 0; o < rows; o++) {
            java.util.Arrays.fill(values, o * columns + firstNew, (o + 1) * columns, value);
        }
        return values;
    }

    private static int rows(NDArray a) {
        return Math.toIntExact(a.getShape().get(0));
    }

    private static int cols(NDArray a) {
        return Math.toIntExact(a.getShape().get(1));
    }

}
