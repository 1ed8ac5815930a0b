package io.graft.plugin.der;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.plugin.support.HostArrays;
import io.graft.plugin.support.SampleStore;
import java.util.Arrays;
import java.util.Random;

/**
 * DER's memory: a reservoir sample ({@link SampleStore#reservoir}) of the training stream, keeping for each
 * sample besides its features, label and task the logits the model gave it in the step it was seen. Everything
 * is kept on the host in flat arrays. State entries: those of {@link SampleStore} plus {@code outputs} and
 * {@code logits}.
 */
final class LogitBuffer extends SampleStore {

    private int classes = -1;
    private float[] logits = new float[0];

    /** @param capacity how many samples the memory holds */
    LogitBuffer(int capacity) {
        super(capacity);
    }

    /**
     * Fixes the layout on the first sample and refuses a different one later.
     *
     * @param shape the shape of one sample
     * @param outputs the number of logits per sample
     */
    void requireLayout(long[] shape, int outputs) {
        long[] held = sampleShape();
        if (held == null) {
            requireSampleShape(shape);
            classes = outputs;
            logits = new float[Math.multiplyExact(capacity(), outputs)];
        } else if (!Arrays.equals(held, shape) || classes != outputs) {
            throw new IllegalArgumentException("samples of shape " + Arrays.toString(shape) + " with " + outputs
                    + " logits do not fit a memory of " + Arrays.toString(held) + " with " + classes);
        }
    }

    /**
     * Offers {@code n} new samples of the stream (algorithm R, {@link #reservoir}).
     *
     * @param n how many arrive, in stream order
     * @param random the random source
     * @return for each the slot it overwrites, or {@code -1} when it is not kept
     */
    int[] offer(int n, Random random) {
        return reservoir(n, random);
    }

    /**
     * Stores row {@code row} of a batch in {@code slot}.
     *
     * @param slot a slot returned by {@link #offer}
     * @param x the batch's flat features
     * @param z the batch's flat logits
     * @param row the sample's row in the batch
     * @param label its label
     * @param task its task
     */
    void put(int slot, float[] x, float[] z, int row, long label, long task) {
        put(slot, x, row, label, task);
        System.arraycopy(z, row * classes, logits, slot * classes, classes);
    }

    /** @return logits per sample, or {@code -1} before the first sample */
    int classes() {
        return classes;
    }

    /** Copies the stored logits of some slots, in order, into {@code out}. */
    void copyLogits(int[] slots, float[] out) {
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(logits, slots[i] * classes, out, i * classes, classes);
        }
    }

    float[] storedLogits() {
        return Arrays.copyOf(logits, filled() * Math.max(classes, 0));
    }

    @Override
    public void restore(long[] shape, float[] savedFeatures, long[] savedLabels, long[] savedTasks,
            long savedSeen) {
        classes = -1;
        logits = new float[0];
        super.restore(shape, savedFeatures, savedLabels, savedTasks, savedSeen);
    }

    @Override
    protected void saveExtra(StateWriter out, NDManager host) {
        out.putLong("outputs", classes);
        out.putArray("logits", host.create(storedLogits(), new Shape(filled(), classes)));
    }

    @Override
    protected void restoreExtra(StateReader in, NDManager host, int savedRows) {
        int outputs = Math.toIntExact(in.getLong("outputs"));
        float[] z = HostArrays.floats(in.getArray("logits", host));
        if ((long) savedRows * outputs != z.length) {
            throw new IllegalArgumentException("saved DER memory is inconsistent: " + savedRows + " labels, "
                    + z.length + " logits");
        }
        classes = outputs;
        logits = new float[Math.multiplyExact(capacity(), outputs)];
        System.arraycopy(z, 0, logits, 0, filled() * classes);
    }
}
