package io.graft.plugin.hat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a step's gradient from undoing what earlier tasks learnt in the units they use: HAT clips it to zero
 * ({@link HatClipping}), AdaHAT scales it by an adjustment rate ({@link AdaptiveAdjustment}).
 */
interface GradientProtection {

    /**
     * Builds what the task needs from the finished tasks' masks.
     *
     * @param chain the layers
     * @param history the finished tasks' masks
     * @param earlierClasses the classes of the finished tasks (their head rows are frozen)
     * @param taskManager owner of what is built; closed when the task ends
     */
    void prepare(LayerChain chain, UnitHistory history, Set<Integer> earlierClasses, NDManager taskManager);

    /** @return whether {@link #apply} needs the layers' network sparsity of the step */
    boolean needsSparsity();

    /**
     * Scales the step's gradients in place.
     *
     * @param model the network, gradients filled
     * @param sparsity layer to this step's network sparsity (empty unless {@link #needsSparsity()})
     * @param stepManager owner of the temporaries
     */
    void apply(ModelView model, Map<String, NDArray> sparsity, NDManager stepManager);

    /**
     * The network capacity of AdaHAT (Sec. 4.1): the mean factor the gradients of the hidden layers' parameters
     * are scaled by, 1 while nothing is protected.
     *
     * @param sparsity layer to this step's network sparsity (empty unless {@link #needsSparsity()})
     * @param stepManager owner of the temporaries
     * @return the capacity
     */
    double capacity(Map<String, NDArray> sparsity, NDManager stepManager);
}
