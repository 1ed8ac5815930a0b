package io.graft.plugin.testkit;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.Batch;
import io.graft.api.train.TaskData;

/** A task's training data held in host arrays, one row of features per sample, as a test double of {@link TaskData}. */
public final class ArrayTaskData implements TaskData {

    private final float[][] x;
    private final long[] y;
    private final long task;

    /**
     * @param x the samples' features, one row each (all rows of the same length)
     * @param y the samples' class labels
     * @param task the task index given to every sample
     */
    public ArrayTaskData(float[][] x, long[] y, long task) {
        this.x = x;
        this.y = y;
        this.task = task;
    }

    /**
     * @param sample one sample's features
     * @param n how many copies
     * @return {@code n} copies of the same sample, label 0, task 0
     */
    public static ArrayTaskData repeated(float[] sample, int n) {
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = sample.clone();
        }
        return new ArrayTaskData(x, new long[n], 0);
    }

    @Override
    public int size() {
        return x.length;
    }

    @Override
    public Batch batch(int[] indices, NDManager manager) {
        int d = x[0].length;
        float[] flat = new float[indices.length * d];
        long[] labels = new long[indices.length];
        long[] tasks = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x[indices[i]], 0, flat, i * d, d);
            labels[i] = y[indices[i]];
            tasks[i] = task;
        }
        return new Batch(manager.create(flat, new Shape(indices.length, d)), manager.create(labels),
                manager.create(tasks));
    }
}
