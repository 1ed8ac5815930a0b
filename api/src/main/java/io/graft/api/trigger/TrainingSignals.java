package io.graft.api.trigger;

import io.graft.api.growth.SlotView;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** What a trigger can look at: the position in training and the measurements so far. */
@ProviderType
public interface TrainingSignals {

    /** @return steps taken in the run */
    long step();

    /** @return the current task's index */
    int taskIndex();

    /** @return whether a task has just ended */
    boolean taskBoundary();

    /** @return the last step's training loss */
    double loss();

    /** @return the network's number of scalar weights */
    long parameterCount();

    /**
     * @return the slot grid as it is now, with each seed's stage, alpha and last measured contribution; empty when
     *     the host has no slots
     * @since 1.1
     */
    List<SlotView> slots();
}
