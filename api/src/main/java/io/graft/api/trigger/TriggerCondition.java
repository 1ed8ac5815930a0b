package io.graft.api.trigger;

import io.graft.api.Plugin;
import org.osgi.annotation.versioning.ConsumerType;

/** Decides when a structural action (growth, pruning) fires: loss plateau, budget, contribution, task boundary, schedule. */
@ConsumerType
public interface TriggerCondition extends Plugin {

    /**
     * Called after every step and at every task boundary.
     *
     * @param signals the current signals
     * @return whether the action fires now
     */
    boolean fires(TrainingSignals signals);
}
