package io.graft.plugin.der;

import java.util.Arrays;
import java.util.Random;

/**
 * DER's memory: a reservoir sample (Vitter's algorithm R) of the training stream, keeping for each sample its
 * features, label, task and the logits the model gave it in the step it was seen. After {@code seen} samples
 * each one is held with probability {@code capacity / seen} (1 while the memory is not full). Everything is
 * kept on the host in flat arrays.
 */
final class LogitBuffer {

    private final int capacity;
    private long[] sampleShape;
    private int rowLength = -1;
    private int classes = -1;
    private float[] features = new float[0];
    private float[] logits = new float[0];
    private final long[] labels;
    private final long[] tasks;
    private int filled;
    private long seen;

    /** @param capacity how many samples the memory holds */
    LogitBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.labels = new long[capacity];
        this.tasks = new long[capacity];
    }

    /**
     * Fixes the layout on the first sample and refuses a different one later.
     *
     * @param shape the shape of one sample
     * @param outputs the number of logits per sample
     */
    void requireLayout(long[] shape, int outputs) {
        if (sampleShape == null) {
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            sampleShape = shape.clone();
            rowLength = Math.toIntExact(length);
            classes = outputs;
            features = new float[Math.multiplyExact(capacity, rowLength)];
            logits = new float[Math.multiplyExact(capacity, outputs)];
        } else if (!Arrays.equals(sampleShape, shape) || classes != outputs) {
            throw new IllegalArgumentException("samples of shape " + Arrays.toString(shape) + " with " + outputs
                    + " logits do not fit a memory of " + Arrays.toString(sampleShape) + " with " + classes);
        }
    }

    /**
     * Offers {@code n} new samples of the stream (algorithm R).
     *
     * @param n how many arrive, in stream order
     * @param random the random source
     * @return for each the slot it overwrites, or {@code -1} when it is not kept; a later sample given the same
     *     slot as an earlier one of the same offer wins (store them in order)
     */
    int[] offer(int n, Random random) {
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            seen++;
            if (filled < capacity) {
                slots[i] = filled++;
            } else {
                long j = random.nextLong(seen);
                slots[i] = j < capacity ? (int) j : -1;
            }
        }
        return slots;
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
        System.arraycopy(x, row * rowLength, features, slot * rowLength, rowLength);
        System.arraycopy(z, row * classes, logits, slot * classes, classes);
        labels[slot] = label;
        tasks[slot] = task;
    }

    int capacity() {
        return capacity;
    }

    int filled() {
        return filled;
    }

    long seen() {
        return seen;
    }

    /** @return the shape of one sample, or {@code null} before the first */
    long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    int rowLength() {
        return rowLength;
    }

    /** @return logits per sample, or {@code -1} before the first sample */
    int classes() {
        return classes;
    }

    long label(int slot) {
        return labels[slot];
    }

    long task(int slot) {
        return tasks[slot];
    }

    /** Copies the features of some slots, in order, into {@code out}. */
    void copyFeatures(int[] slots, float[] out) {
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(features, slots[i] * rowLength, out, i * rowLength, rowLength);
        }
    }

    /** Copies the stored logits of some slots, in order, into {@code out}. */
    void copyLogits(int[] slots, float[] out) {
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(logits, slots[i] * classes, out, i * classes, classes);
        }
    }

    float[] storedFeatures() {
        return Arrays.copyOf(features, filled * Math.max(rowLength, 0));
    }

    float[] storedLogits() {
        return Arrays.copyOf(logits, filled * Math.max(classes, 0));
    }

    long[] storedLabels() {
        return Arrays.copyOf(labels, filled);
    }

    long[] storedTasks() {
        return Arrays.copyOf(tasks, filled);
    }

    /**
     * Replaces the content with saved samples; keeps the first {@link #capacity()} when there are more.
     *
     * @param shape one sample's shape, or {@code null} for a memory that has seen nothing
     * @param outputs logits per sample
     * @param x flat features
     * @param z flat logits
     * @param y labels
     * @param t tasks
     * @param savedSeen samples the saved stream had offered
     */
    void restore(long[] shape, int outputs, float[] x, float[] z, long[] y, long[] t, long savedSeen) {
        sampleShape = null;
        rowLength = -1;
        classes = -1;
        features = new float[0];
        logits = new float[0];
        filled = 0;
        seen = savedSeen;
        if (shape == null) {
            return;
        }
        requireLayout(shape, outputs);
        if (t.length != y.length || (long) y.length * rowLength != x.length || (long) y.length * classes != z.length) {
            throw new IllegalArgumentException("saved DER memory is inconsistent: " + y.length + " labels, "
                    + t.length + " tasks, " + x.length + " feature values, " + z.length + " logits");
        }
        int n = Math.min(capacity, y.length);
        System.arraycopy(x, 0, features, 0, n * rowLength);
        System.arraycopy(z, 0, logits, 0, n * classes);
        System.arraycopy(y, 0, labels, 0, n);
        System.arraycopy(t, 0, tasks, 0, n);
        filled = n;
        seen = Math.max(savedSeen, n);
    }
}
