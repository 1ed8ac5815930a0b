package io.graft.api.model;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A batch of samples: features {@code (n, ...)}, integer class labels {@code (n)} and the task index of
 * each sample {@code (n)}. The arrays belong to whoever made the batch (usually the step's manager).
 */
public final class Batch {

    private final NDArray features;
    private final NDArray labels;
    private final NDArray tasks;

    /**
     * @param features inputs, first dimension the sample
     * @param labels class labels, int64, one per sample
     * @param tasks task index of each sample, int64, one per sample
     */
    public Batch(NDArray features, NDArray labels, NDArray tasks) {
        this.features = Objects.requireNonNull(features, "features");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        long n = features.getShape().get(0);
        if (labels.getShape().get(0) != n || tasks.getShape().get(0) != n) {
            throw new IllegalArgumentException("batch parts disagree on the sample count: features " + n
                    + ", labels " + labels.getShape().get(0) + ", tasks " + tasks.getShape().get(0));
        }
    }

    /** @return the inputs */
    public NDArray features() {
        return features;
    }

    /** @return the class labels */
    public NDArray labels() {
        return labels;
    }

    /** @return the task index of each sample */
    public NDArray tasks() {
        return tasks;
    }

    /** @return the number of samples */
    public int size() {
        return Math.toIntExact(features.getShape().get(0));
    }
}
