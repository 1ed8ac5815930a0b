package io.graft.plugin.support;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.Batch;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A fixed-capacity host-side store of samples: one flat {@code float} row of features per slot, with its class
 * label and task index, so that neither the store nor a batch gathered from it holds device memory between steps.
 * Which incoming sample goes to which slot is the caller's choice; {@link #reservoir} makes it by reservoir
 * sampling. Subclasses may keep further per-slot columns and save them through {@link #saveExtra} and
 * {@link #restoreExtra}.
 *
 * <p>State entries ({@link #saveTo}): {@code capacity}, {@code seen}, {@code filled}, {@code featureType}, and
 * once a sample has been stored {@code sampleShape} (comma-separated), {@code features}, {@code labels} and
 * {@code tasks}.
 */
public class SampleStore {

    private final int capacity;
    private long[] sampleShape;
    private int rowLength = -1;
    private float[] features = new float[0];
    private final long[] labels;
    private final long[] tasks;
    private int filled;
    private long seen;
    private DataType featureType = DataType.FLOAT32;

    /**
     * @param capacity how many samples the store holds
     * @throws IllegalArgumentException if it is below 1
     */
    public SampleStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.labels = new long[capacity];
        this.tasks = new long[capacity];
    }

    /** @return how many samples the store can hold */
    public int capacity() {
        return capacity;
    }

    /** @return how many samples it holds */
    public int filled() {
        return filled;
    }

    /** @return how many samples have been offered so far */
    public long seen() {
        return seen;
    }

    /** @return the shape of one sample (without the batch dimension), or {@code null} before the first */
    public long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    /** @return floats per sample, or -1 before the first sample */
    public int rowLength() {
        return rowLength;
    }

    /** @return the data type gathered batches get their features in (that of the samples last seen) */
    public DataType featureType() {
        return featureType;
    }

    /** @param type the data type of the incoming features, given back to gathered batches */
    public void setFeatureType(DataType type) {
        featureType = type;
    }

    /**
     * Fixes the shape of one sample on first use and checks it afterwards.
     *
     * @param shape the shape of one sample, without the batch dimension
     * @throws IllegalStateException if it differs from the shape of the samples already held, or if
     *     {@link #capacity()} such samples do not fit in one host array
     */
    public void requireSampleShape(long[] shape) {
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
     * Counts one more offered sample and hands out the next free slot while the store is not full.
     *
     * @return the free slot, or -1 when the store is full
     */
    public final int countAndTakeFreeSlot() {
        seen++;
        return filled < capacity ? filled++ : -1;
    }

    /**
     * Offers {@code n} new samples of the stream and decides by reservoir sampling (Vitter's algorithm R) where
     * each one goes: after {@code seen} samples each is held with probability {@code capacity / seen}. Draws one
     * {@link Random#nextLong(long)} per sample that arrives once the store is full, none before.
     *
     * @param n how many samples arrive, in stream order
     * @param random the random source
     * @return for each sample the slot it overwrites, or {@code -1} when it is not kept; when two samples of
     *     the same offer get the same slot, the later one must win (store them in order)
     */
    public final int[] reservoir(int n, Random random) {
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            int free = countAndTakeFreeSlot();
            if (free >= 0) {
                slots[i] = free;
            } else {
                long j = random.nextLong(seen);
                slots[i] = j < capacity ? (int) j : -1;
            }
        }
        return slots;
    }

    /**
     * Writes one sample into a slot.
     *
     * @param slot the slot, at most {@link #filled()} - 1
     * @param source flat features of a batch, {@link #rowLength()} floats per sample
     * @param row the sample's row in {@code source}
     * @param label its class label
     * @param task its task index
     */
    public void put(int slot, float[] source, int row, long label, long task) {
        ensureRows(slot + 1);
        System.arraycopy(source, row * rowLength, features, slot * rowLength, rowLength);
        labels[slot] = label;
        tasks[slot] = task;
    }

    /**
     * Copies the features of some slots into consecutive rows.
     *
     * @param slots the slots
     * @param out destination of {@code slots.length * rowLength()} floats
     */
    public void copyFeatures(int[] slots, float[] out) {
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(features, slots[i] * rowLength, out, i * rowLength, rowLength);
        }
    }

    /**
     * @param slot a filled slot
     * @return its label
     */
    public long label(int slot) {
        return labels[slot];
    }

    /**
     * @param slot a filled slot
     * @return its task index
     */
    public long task(int slot) {
        return tasks[slot];
    }

    /**
     * Builds a batch of some slots, in order, with the features in {@link #featureType()}.
     *
     * @param slots filled slots
     * @param manager the manager that owns the batch's arrays
     * @return the batch
     */
    public Batch gather(int[] slots, NDManager manager) {
        int k = slots.length;
        float[] x = new float[k * rowLength];
        copyFeatures(slots, x);
        long[] y = new long[k];
        long[] t = new long[k];
        for (int i = 0; i < k; i++) {
            y[i] = labels[slots[i]];
            t[i] = tasks[slots[i]];
        }
        NDArray batchFeatures = manager.create(x, new Shape(HostArrays.dims(k, sampleShape)));
        if (featureType != DataType.FLOAT32) {
            NDArray typed = batchFeatures.toType(featureType, false);
            batchFeatures.close();
            batchFeatures = typed;
        }
        return new Batch(batchFeatures, manager.create(y), manager.create(t));
    }

    /** @return a copy of the features of the filled slots, slot by slot */
    public float[] storedFeatures() {
        return rowLength < 0 ? new float[0] : Arrays.copyOf(features, filled * rowLength);
    }

    /** @return a copy of the labels of the filled slots */
    public long[] storedLabels() {
        return Arrays.copyOf(labels, filled);
    }

    /** @return a copy of the task indices of the filled slots */
    public long[] storedTasks() {
        return Arrays.copyOf(tasks, filled);
    }

    /**
     * Replaces the content with saved samples; keeps the first {@link #capacity()} when there are more.
     *
     * @param shape the shape of one sample, or {@code null} for an empty store that has not seen a sample yet
     * @param savedFeatures flat features, slot by slot
     * @param savedLabels one label per saved sample
     * @param savedTasks one task index per saved sample
     * @param savedSeen how many samples the saved stream had offered
     * @throws IllegalArgumentException if the arrays do not agree on the number of samples
     */
    public void restore(long[] shape, float[] savedFeatures, long[] savedLabels, long[] savedTasks,
            long savedSeen) {
        sampleShape = null;
        rowLength = -1;
        features = new float[0];
        if (shape == null) {
            filled = 0;
            seen = savedSeen;
            return;
        }
        requireSampleShape(shape);
        int n = Math.min(capacity, savedLabels.length);
        if (savedTasks.length != savedLabels.length
                || (long) savedLabels.length * rowLength != savedFeatures.length) {
            throw new IllegalArgumentException("saved replay buffer is inconsistent: " + savedLabels.length
                    + " labels, " + savedTasks.length + " tasks, " + savedFeatures.length + " feature values");
        }
        ensureRows(n);
        System.arraycopy(savedFeatures, 0, features, 0, n * rowLength);
        System.arraycopy(savedLabels, 0, labels, 0, n);
        System.arraycopy(savedTasks, 0, tasks, 0, n);
        filled = n;
        seen = Math.max(savedSeen, n);
    }

    /**
     * Writes the store (see the class comment for the entries), then, once a sample has been stored,
     * {@link #saveExtra}.
     *
     * @param out where to write
     */
    public void saveTo(StateWriter out) {
        out.putLong("capacity", capacity);
        out.putLong("seen", seen);
        out.putLong("filled", filled);
        out.putString("featureType", featureType.name());
        if (sampleShape == null) {
            return;
        }
        out.putString("sampleShape",
                Arrays.stream(sampleShape).mapToObj(Long::toString).collect(Collectors.joining(",")));
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            out.putArray("features", host.create(storedFeatures(), new Shape(HostArrays.dims(filled, sampleShape))));
            out.putArray("labels", host.create(storedLabels()));
            out.putArray("tasks", host.create(storedTasks()));
            saveExtra(out, host);
        }
    }

    /**
     * Replaces the content with what {@link #saveTo} wrote, through {@link #restore}; then, if it wrote samples,
     * {@link #restoreExtra}.
     *
     * @param in what was written
     */
    public void restoreFrom(StateReader in) {
        featureType = DataType.valueOf(in.getString("featureType"));
        if (!in.keys().contains("sampleShape")) {
            restore(null, new float[0], new long[0], new long[0], in.getLong("seen"));
            return;
        }
        String text = in.getString("sampleShape");
        long[] shape = text.isEmpty() ? new long[0]
                : Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
            long[] savedLabels = HostArrays.longs(in.getArray("labels", host));
            restore(shape, HostArrays.floats(in.getArray("features", host)), savedLabels,
                    HostArrays.longs(in.getArray("tasks", host)), in.getLong("seen"));
            restoreExtra(in, host, savedLabels.length);
        }
    }

    /**
     * Writes a subclass's own entries; called by {@link #saveTo} once a sample has been stored. Does nothing here.
     *
     * @param out where to write
     * @param host a CPU manager for the arrays written, closed after the call
     */
    protected void saveExtra(StateWriter out, NDManager host) {
    }

    /**
     * Reads a subclass's own entries; called by {@link #restoreFrom} after the samples are back, when the state
     * held any. Does nothing here.
     *
     * @param in what was written
     * @param host a CPU manager for the arrays read, closed after the call
     * @param savedRows how many samples the state held (at least {@link #filled()})
     */
    protected void restoreExtra(StateReader in, NDManager host, int savedRows) {
    }

    private void ensureRows(int rows) {
        long needed = (long) rows * rowLength;
        if (features.length < needed) {
            long grown = Math.max(needed, Math.min((long) capacity * rowLength, 2L * features.length));
            features = Arrays.copyOf(features, (int) grown);
        }
    }
}
