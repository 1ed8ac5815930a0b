package io.graft.api.masking;

import ai.djl.ndarray.NDManager;
import io.graft.api.model.TaskInfo;
import org.osgi.annotation.versioning.ProviderType;

/** What the kernel tells a {@link TaskMask} when it asks for a mask. */
@ProviderType
public interface MaskQuery {

    /**
     * The task whose mask is wanted: in a training step the task in progress; in evaluation the task of the
     * test samples under {@code task_il} and {@code domain_il}, and the task trained last under
     * {@code class_il} (where no task label is given).
     *
     * @return the task
     */
    TaskInfo task();

    /**
     * @return true inside a training step, where the mask is part of the graph and gradients flow through it
     *     into any array of the plugin that requires one; false in evaluation and in
     *     {@link io.graft.api.model.ModelView#predict} and {@link io.graft.api.model.ModelView#gradients}
     */
    boolean training();

    /** @return the step within the task in progress (counted from 0), or -1 outside a training step */
    long stepInTask();

    /** @return the number of training steps of the task in progress (epochs × batches), or -1 outside training */
    long taskSteps();

    /**
     * @return owner for the mask and any temporary; the kernel closes it after the step or evaluation batch
     */
    NDManager manager();
}
