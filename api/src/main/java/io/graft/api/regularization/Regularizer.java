package io.graft.api.regularization;

import ai.djl.ndarray.NDArray;
import io.graft.api.Plugin;
import io.graft.api.train.StepContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Adds a penalty to the loss of every step. EWC returns {@code λ/2 · Σ F·(θ−θ*)²}; SI and MAS the same
 * shape with their own importances; LwF a distillation term against the previous model; HAT its mask
 * sparsity. State that the penalty needs is built at {@link #onTaskEnd}.
 */
@ConsumerType
public interface Regularizer extends Plugin {

    /**
     * The penalty for this step, computed from the live parameter arrays inside the gradient scope so that
     * it takes part in backward. Temporaries belong to {@link StepContext#stepManager()}.
     *
     * @param step the step in progress
     * @return a scalar to add to the loss, or {@code null} when there is nothing to add yet
     */
    NDArray penalty(StepContext step);
}
