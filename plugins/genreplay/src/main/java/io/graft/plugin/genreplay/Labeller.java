package io.graft.plugin.genreplay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.graft.api.model.Batch;
import io.graft.api.model.ModelView;
import io.graft.api.model.TaskInfo;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Labels generated samples with the previous model, the "solver" of Deep Generative Replay: a frozen
 * {@link ModelView#snapshot} taken when a task starts, whose label for a sample is the argmax of its logits over
 * the classes of the tasks before that one. Each label's task index is the earlier task holding that class.
 */
final class Labeller {

    private final ModelView model;
    private final int task;
    private final int[] classes;
    /** Class to the index of the earliest task before {@link #task} that holds it, -1 for the others. */
    private final long[] taskOfClass;

    /**
     * @param model the frozen previous model
     * @param task index of the task whose start it was taken at
     * @param tasks every task of the run
     */
    Labeller(ModelView model, int task, List<TaskInfo> tasks) {
        this.model = model;
        this.task = task;
        this.taskOfClass = new long[model.outputs()];
        Arrays.fill(taskOfClass, -1);
        TreeSet<Integer> seen = new TreeSet<>();
        for (TaskInfo t : tasks) {
            if (t.index() >= task) {
                continue;
            }
            for (int c : t.classes()) {
                if (c >= 0 && c < taskOfClass.length && taskOfClass[c] < 0) {
                    taskOfClass[c] = t.index();
                    seen.add(c);
                }
            }
        }
        this.classes = seen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the frozen model that labels */
    ModelView model() {
        return model;
    }

    /** @return index of the task it serves */
    int task() {
        return task;
    }

    /** @return the classes it may give, ascending */
    int[] classes() {
        return classes.clone();
    }

    /** @return whether any earlier class exists to label with */
    boolean canLabel() {
        return classes.length > 0;
    }

    /**
     * @param features generated samples {@code (n, ...)}
     * @param manager owner of the labels, the task indices and every temporary
     * @return the samples with their labels and tasks
     */
    Batch label(NDArray features, NDManager manager) {
        float[] bias = new float[taskOfClass.length];
        for (int c = 0; c < bias.length; c++) {
            // finite, so that argmax never meets a NaN; far below any logit a trained model gives
            bias[c] = taskOfClass[c] >= 0 ? 0f : -1e9f;
        }
        NDArray logits = model.predict(features);
        logits.attach(manager);
        NDArray labels = logits.add(manager.create(bias)).argMax(1).toType(DataType.INT64, false);
        labels.attach(manager);
        long[] y = labels.toLongArray();
        long[] t = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            t[i] = taskOfClass[(int) y[i]];
        }
        return new Batch(features, labels, manager.create(t));
    }
}
