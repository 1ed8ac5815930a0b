package io.graft.api.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.Batch;
import org.osgi.annotation.versioning.ProviderType;

/** One training step as a plugin sees it. */
@ProviderType
public interface StepContext extends TaskContext {

    /** @return steps taken in the whole run before this one */
    long step();

    /** @return steps taken in the current task before this one */
    long stepInTask();

    /** @return the current epoch of the current task, from 0 */
    int epoch();

    /** @return the incoming batch of the current task (without rehearsed samples) */
    Batch batch();

    /**
     * A manager closed when the step ends: every temporary array of a hook belongs here.
     *
     * @return the step manager
     */
    NDManager stepManager();

    /**
     * The logits of the incoming batch, without gradient; available in {@code afterStep}.
     *
     * @return logits {@code (batch size, outputs)}
     * @throws IllegalStateException before the forward pass
     */
    NDArray logits();

    /** @return the step's total loss, available in {@code afterStep}; NaN before */
    double loss();

    /**
     * The live logits of every row trained this step: the incoming batch first, then the rows each rehearsal
     * plugin replayed, in hook order. They are part of the autograd graph, so a {@code Regularizer.penalty}
     * built from them trains the network (DER's logit matching, LwF's distillation).
     *
     * @return logits {@code (incoming + replayed rows, outputs)}
     * @throws IllegalStateException outside the forward pass and the penalty hooks of a step
     * @since 1.1
     */
    NDArray outputs();

    /**
     * Where the rows this plugin returned from {@code Rehearsal.replay} start in {@link #outputs()}.
     *
     * @return the first row of this plugin's replayed samples, or {@code -1} when it replayed none this step
     * @since 1.1
     */
    int replayedFrom();

    /**
     * The number of training steps of the task in progress (epochs × batches), so that a schedule over the
     * task (HAT's annealing of its gate slope) knows where it is: {@link #stepInTask()} runs from 0 to this
     * minus 1.
     *
     * @return steps in this task
     * @since 1.1
     */
    long taskSteps();
}
