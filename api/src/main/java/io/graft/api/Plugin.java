package io.graft.api;

import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One algorithm instance, created fresh for each run by its {@link PluginFactory}.
 *
 * <p>The kernel calls these hooks in a fixed, documented order (see {@code docs/architecture.md}):
 * {@link #onRunStart} once, then for every task {@link #onTaskStart}, {@link #afterStep} after each
 * optimizer step, {@link #onTaskEnd}; finally {@link #onRunEnd} and {@link #close}. Plugins that take part
 * in the step itself implement one or more contracts on top of this interface, such as
 * {@link io.graft.api.regularization.Regularizer} or {@link io.graft.api.rehearsal.Rehearsal}.
 *
 * <p>All hooks run on the training thread. Arrays a plugin keeps across steps belong to
 * {@link RunContext#manager()} (or a sub-manager of it); arrays made during a step belong to
 * {@link StepContext#stepManager()}, which is closed when the step ends. An exception thrown from a
 * hook stops the run and names the plugin; metrics already written stay on disk.
 */
@ConsumerType
public interface Plugin extends AutoCloseable {

    /**
     * Called once before the first task.
     *
     * @param run the run: model, seed, metrics
     */
    default void onRunStart(RunContext run) {}

    /**
     * Called when a task starts, before its first batch.
     *
     * @param task the task that starts, with its training data
     */
    default void onTaskStart(TaskContext task) {}

    /**
     * Called after every optimizer step; {@link StepContext#batch()} is the incoming batch and
     * {@link StepContext#logits()} its detached logits.
     *
     * @param step the step that has just been applied
     */
    default void afterStep(StepContext step) {}

    /**
     * Called when a task's training ends, before pruning and evaluation: the place to consolidate
     * (compute a Fisher, store a mask, snapshot parameters).
     *
     * @param task the task that ends, with its training data
     */
    default void onTaskEnd(TaskContext task) {}

    /**
     * Called once after the last task's evaluation.
     *
     * @param run the run
     */
    default void onRunEnd(RunContext run) {}

    /** Releases what the plugin holds. Called once, after {@link #onRunEnd} or when a run stops early. */
    @Override
    default void close() {}
}
