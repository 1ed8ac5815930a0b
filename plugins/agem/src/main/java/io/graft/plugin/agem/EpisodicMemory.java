package io.graft.plugin.agem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The samples A-GEM remembers of finished tasks, held on the host as flat {@code float} rows with their labels.
 * The capacity is shared equally by the finished tasks: with {@code k} of them, task {@code i} (oldest first)
 * keeps {@code capacity / k} samples, one more for the first {@code capacity % k}. When a task is added every
 * older task keeps a prefix of its samples; since those were drawn in random order, the prefix is again a
 * uniform sample of the task.
 */
final class EpisodicMemory {

    /**
     * The samples of one task.
     *
     * @param task the task's index
     * @param features {@code rows × rowLength} floats
     * @param labels one class label per row
     */
    record Slice(long task, float[] features, long[] labels) {
        int rows() {
            return labels.length;
        }
    }

    private final int capacity;
    private long[] sampleShape;
    private int rowLength = -1;
    private final List<Slice> slices = new ArrayList<>();

    /**
     * @param capacity how many samples the memory holds over all tasks
     */
    EpisodicMemory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return how many samples the memory can hold */
    int capacity() {
        return capacity;
    }

    /** @return how many samples it holds */
    int size() {
        int n = 0;
        for (Slice s : slices) {
            n += s.rows();
        }
        return n;
    }

    /** @return the tasks remembered, oldest first */
    List<Slice> slices() {
        return Collections.unmodifiableList(slices);
    }

    /** @return the shape of one sample, or {@code null} before the first task */
    long[] sampleShape() {
        return sampleShape == null ? null : sampleShape.clone();
    }

    /** @return floats per sample, or -1 before the first task */
    int rowLength() {
        return rowLength;
    }

    /**
     * @param tasks how many tasks share the memory
     * @param index a task's position among them, oldest first
     * @return how many samples that task keeps
     */
    static int share(int capacity, int tasks, int index) {
        return capacity / tasks + (index < capacity % tasks ? 1 : 0);
    }

    /** @return how many samples a task added now may bring */
    int shareOfNext() {
        return share(capacity, slices.size() + 1, slices.size());
    }

    /**
     * Adds a finished task's samples and trims the older tasks to their new shares.
     *
     * @param task the task's index
     * @param shape the shape of one sample
     * @param features the samples' features, {@code labels.length} rows
     * @param labels their class labels, at most {@link #shareOfNext()} of them (more are cut)
     * @throws IllegalStateException if the sample shape differs from the samples already held
     */
    void add(long task, long[] shape, float[] features, long[] labels) {
        requireSampleShape(shape);
        if ((long) labels.length * rowLength != features.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + features.length + " feature values");
        }
        slices.add(new Slice(task, features, labels));
        trim();
    }

    /** @return the features of every remembered sample, task by task */
    float[] allFeatures() {
        float[] all = new float[size() * Math.max(rowLength, 0)];
        int at = 0;
        for (Slice s : slices) {
            System.arraycopy(s.features(), 0, all, at, s.features().length);
            at += s.features().length;
        }
        return all;
    }

    /** @return the labels of every remembered sample, in {@link #allFeatures()} order */
    long[] allLabels() {
        long[] all = new long[size()];
        int at = 0;
        for (Slice s : slices) {
            System.arraycopy(s.labels(), 0, all, at, s.rows());
            at += s.rows();
        }
        return all;
    }

    /**
     * Replaces the content with saved slices, trimmed to this memory's shares.
     *
     * @param shape the shape of one sample, or {@code null} for an empty memory
     * @param saved the slices, oldest first
     */
    void restore(long[] shape, List<Slice> saved) {
        slices.clear();
        sampleShape = null;
        rowLength = -1;
        if (shape == null) {
            return;
        }
        requireSampleShape(shape);
        for (Slice s : saved) {
            if ((long) s.rows() * rowLength != s.features().length) {
                throw new IllegalArgumentException("saved memory of task " + s.task() + " is inconsistent: "
                        + s.rows() + " labels, " + s.features().length + " feature values");
            }
            slices.add(s);
        }
        trim();
    }

    private void trim() {
        int k = slices.size();
        for (int i = 0; i < k; i++) {
            Slice s = slices.get(i);
            int keep = share(capacity, k, i);
            if (s.rows() > keep) {
                slices.set(i, new Slice(s.task(), Arrays.copyOf(s.features(), keep * rowLength),
                        Arrays.copyOf(s.labels(), keep)));
            }
        }
    }

    private void requireSampleShape(long[] shape) {
        if (sampleShape == null) {
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            if (length * capacity > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an episodic memory of " + capacity + " samples of shape "
                        + Arrays.toString(shape) + " does not fit in one host array; lower memorySize");
            }
            sampleShape = shape.clone();
            rowLength = (int) length;
        } else if (!Arrays.equals(sampleShape, shape)) {
            throw new IllegalStateException("episodic memory holds samples of shape " + Arrays.toString(sampleShape)
                    + " but task data has samples of shape " + Arrays.toString(shape));
        }
    }
}
