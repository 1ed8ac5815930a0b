package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Where seeds join the host's forward pass: the host hands every hidden layer's activation (after the
 * ReLU and any unit mask; for a convolutional block after pooling) to the tap and goes on with what it
 * returns. The seed slots of a run implement it; {@link #NONE} leaves the host as it is.
 */
interface SlotTap {

    /** No seeds: every activation passes unchanged. */
    SlotTap NONE = (layer, activation) -> activation;

    /**
     * @param layer the hidden layer whose output this is, e.g. {@code fc1}
     * @param activation its output {@code (n, width)} (or {@code (n, channels, h, w)})
     * @return the activation the next layer receives
     */
    NDArray at(String layer, NDArray activation);

    /**
     * @param target owner of the copy
     * @return a frozen copy for a model snapshot (seeds as they are now, blended as now); this tap when it
     *     holds no state
     */
    default SlotTap snapshot(NDManager target) {
        return this;
    }

    /** @return the trainable parameters the tap adds to the network (the live seeds'), none by default */
    default List<HostParameter> parameters() {
        return List.of();
    }
}
