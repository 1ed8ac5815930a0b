package io.graft.api.growth;

import io.graft.api.model.SlotAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One slot of the host's grid as it is now: where it is, what sits in it and how much that helps. A snapshot:
 * ask the editor or the signals again after a change.
 */
@ProviderType
public interface SlotView {

    /** @return the slot's address {@code r{row}c{col}} */
    SlotAddress address();

    /** @return the host layer whose output the slot sees, e.g. {@code fc1} */
    String layer();

    /**
     * @return whether the slot follows a convolutional block (its seeds are {@link Blueprint.Kind#CONV} blocks on
     *     {@code (n, C, h, w)} activations) rather than a dense layer
     */
    boolean convolutional();

    /** @return the stage of the slot's seed ({@link SeedStage#DORMANT} when empty) */
    SeedStage stage();

    /** @return the seed's current alpha in {@code [0, 1]}; 0 when no seed is blended in */
    double alpha();

    /** @return the seed's scalar weights; 0 when none */
    long parameterCount();

    /** @return the seed's blueprint, or {@code null} when the slot is empty */
    Blueprint blueprint();

    /** @return the task the seed serves, -1 for every task */
    int task();

    /**
     * @return the seed's last measured contribution: accuracy on the kernel's probe batch with the seed (alpha 1)
     *     minus without it, in eval mode; {@code NaN} before the first measurement or when the slot is empty
     */
    double contribution();
}
