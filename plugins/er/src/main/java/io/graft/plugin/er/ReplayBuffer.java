package io.graft.plugin.er;

import java.util.Arrays;
import java.util.Random;

/**
 * A fixed-capacity memory of samples; subclasses decide which incoming samples it keeps ({@link #offer}).
 * Samples are stored on the host as flat {@code float} rows with their label and task, so that neither the
 * buffer nor a replayed batch ever holds device memory between steps.
 */
abstract class ReplayBuffer {

    final int capacity;
    private long[] sampleShape;
    private int rowLength = -1;
    private float[] features = new float[0];
    final long[] labels;
    private final long[] tasks;
    /** Positions {@code [0, filled)} are always a permutation of {@code [0, filled)}: the pool for draws. */
    private final int[] pool;
    private int filled;
    private long seen;

    /**
     * @param capacity how many samples the memory holds
     */
    ReplayBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.labels = new long[capacity];
        this.tasks = new long[capacity];
        this.pool = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            pool[i] = i;
        }
    }

    /** @return how many samples the memory can hold */
    int capacity() {
        return capacity;
    }

    /** @return how many samples it holds */
    int filled() {
        return filled;
    }

    /** @return how many samples have been offered so far */
    long seen() {
        return seen;
    }

    /** @return the shape of one sample (without the batch dimension), or {@code null} before the first */
    long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    /**
     * Fixes the shape of one sample on first use and checks it afterwards.
     *
     * @param shape the shape of one sample, without the batch dimension
     * @throws IllegalStateException if it differs from the shape of the samples already held
     */
    void requireSampleShape(long[] shape) {
        if (sampleShape == null) {
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            if (length * capacity > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a replay buffer of " + capacity + " samples of shape "
                        + Arrays.toString(shape) + " does not fit in one host array; lower bufferSize");
            }
            sampleShape = shape.clone();
            rowLength = (int) length;
        } else if (!Arrays.equals(sampleShape, shape)) {
            throw new IllegalStateException("replay buffer holds samples of shape " + Arrays.toString(sampleShape)
                    + " but the incoming batch has samples of shape " + Arrays.toString(shape));
        }
    }

    /**
     * Offers {@code n} new samples of the stream and decides where each one goes.
     *
     * @param n how many samples arrive, in stream order
     * @param labels their labels, or {@code null} when {@link #needsLabels()} is false
     * @param random the random source
     * @return for each sample the slot it overwrites, or {@code -1} when it is not kept; when two samples of
     *     the same offer get the same slot, the later one must win (store them in order)
     */
    abstract int[] offer(int n, long[] labels, Random random);

    /** @return whether {@link #offer} needs the labels of the incoming samples */
    abstract boolean needsLabels();

    /**
     * Counts one more offered sample and hands out the next free slot while the memory is not full.
     *
     * @return the free slot, or -1 when the memory is full
     */
    final int countAndTakeFreeSlot() {
        seen++;
        return filled < capacity ? filled++ : -1;
    }

    /**
     * Writes one sample into a slot returned by {@link #admit}.
     *
     * @param slot the slot
     * @param source flat features of a batch, {@code rowLength} floats per sample
     * @param row the sample's row in {@code source}
     * @param label its class label
     * @param task its task index
     */
    void put(int slot, float[] source, int row, long label, long task) {
        ensureRows(slot + 1);
        System.arraycopy(source, row * rowLength, features, slot * rowLength, rowLength);
        labels[slot] = label;
        tasks[slot] = task;
    }

    /**
     * Draws {@code k} distinct slots uniformly among the filled ones (partial Fisher–Yates over the pool).
     *
     * @param k how many, at most {@link #filled()}
     * @param random the random source
     * @return the slots
     */
    int[] draw(int k, Random random) {
        if (k > filled) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + filled + " samples");
        }
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(filled - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            out[i] = pool[i];
        }
        return out;
    }

    /**
     * Copies the features of some slots into consecutive rows.
     *
     * @param slots the slots
     * @param out destination of {@code slots.length * rowLength} floats
     */
    void copyFeatures(int[] slots, float[] out) {
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(features, slots[i] * rowLength, out, i * rowLength, rowLength);
        }
    }

    /** @return floats per sample, or -1 before the first sample */
    int rowLength() {
        return rowLength;
    }

    /**
     * @param slot a filled slot
     * @return its label
     */
    long label(int slot) {
        return labels[slot];
    }

    /**
     * @param slot a filled slot
     * @return its task index
     */
    long task(int slot) {
        return tasks[slot];
    }

    /** @return a copy of the features of the filled slots, slot by slot */
    float[] storedFeatures() {
        return rowLength < 0 ? new float[0] : Arrays.copyOf(features, filled * rowLength);
    }

    /** @return a copy of the labels of the filled slots */
    long[] storedLabels() {
        return Arrays.copyOf(labels, filled);
    }

    /** @return a copy of the task indices of the filled slots */
    long[] storedTasks() {
        return Arrays.copyOf(tasks, filled);
    }

    /**
     * Replaces the content with saved samples; keeps the first {@link #capacity()} when there are more.
     *
     * @param shape the shape of one sample, or {@code null} for an empty memory that has not seen a sample yet
     * @param savedFeatures flat features, slot by slot
     * @param savedLabels one label per saved sample
     * @param savedTasks one task index per saved sample
     * @param savedSeen how many samples the saved stream had offered
     */
    void restore(long[] shape, float[] savedFeatures, long[] savedLabels, long[] savedTasks, long savedSeen) {
        sampleShape = null;
        rowLength = -1;
        features = new float[0];
        for (int i = 0; i < capacity; i++) {
            pool[i] = i;
        }
        if (shape == null) {
            filled = 0;
            seen = savedSeen;
            afterRestore();
            return;
        }
        requireSampleShape(shape);
        int n = Math.min(capacity, savedLabels.length);
        if (savedTasks.length != savedLabels.length || (long) savedLabels.length * rowLength != savedFeatures.length) {
            throw new IllegalArgumentException("saved replay buffer is inconsistent: " + savedLabels.length
                    + " labels, " + savedTasks.length + " tasks, " + savedFeatures.length + " feature values");
        }
        ensureRows(n);
        System.arraycopy(savedFeatures, 0, features, 0, n * rowLength);
        System.arraycopy(savedLabels, 0, labels, 0, n);
        System.arraycopy(savedTasks, 0, tasks, 0, n);
        filled = n;
        seen = Math.max(savedSeen, n);
        afterRestore();
    }

    /** Called at the end of {@link #restore}, once the samples are back; the subclass rebuilds its own state. */
    void afterRestore() {
    }

    private void ensureRows(int rows) {
        long needed = (long) rows * rowLength;
        if (features.length < needed) {
            long grown = Math.max(needed, Math.min((long) capacity * rowLength, 2L * features.length));
            features = Arrays.copyOf(features, (int) grown);
        }
    }
}
