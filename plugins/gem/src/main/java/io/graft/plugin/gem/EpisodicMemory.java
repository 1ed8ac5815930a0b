package io.graft.plugin.gem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The samples GEM remembers, one slice per finished task, held on the host as flat {@code float} rows with their
 * labels. Unlike A-GEM's shared buffer, every task keeps its own slice for the whole run, since GEM needs one
 * gradient (one constraint) per earlier task.
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

    private long[] sampleShape;
    private int rowLength = -1;
    private final List<Slice> slices = new ArrayList<>();

    /** @return how many samples it holds over all tasks */
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

    /**
     * Adds a finished task's samples.
     *
     * @param task the task's index
     * @param shape the shape of one sample
     * @param features the samples' features, {@code labels.length} rows
     * @param labels their class labels
     * @throws IllegalStateException if the sample shape differs from the samples already held
     */
    void add(long task, long[] shape, float[] features, long[] labels) {
        requireSampleShape(shape);
        if ((long) labels.length * rowLength != features.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + features.length + " feature values");
        }
        slices.add(new Slice(task, features, labels));
    }

    /**
     * Replaces the content with saved slices.
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
    }

    private void requireSampleShape(long[] shape) {
        if (sampleShape == null) {
            long length = 1;
            for (long d : shape) {
                length *= d;
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("samples of shape " + Arrays.toString(shape)
                        + " do not fit in one host array");
            }
            sampleShape = shape.clone();
            rowLength = (int) length;
        } else if (!Arrays.equals(sampleShape, shape)) {
            throw new IllegalStateException("episodic memory holds samples of shape " + Arrays.toString(sampleShape)
                    + " but task data has samples of shape " + Arrays.toString(shape));
        }
    }
}
