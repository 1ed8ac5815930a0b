package io.graft.api.growth;

import io.graft.api.Plugin;
import io.graft.api.train.RunContext;
import io.graft.api.train.TaskContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides what capacity to add, where and how it is initialised: germinate a seed in a slot, widen a
 * layer with Net2Net, insert an identity layer, add a zero-initialised branch or a progressive column.
 * The kernel calls it when its trigger fires (see {@link io.graft.api.trigger.TriggerCondition}).
 */
@ConsumerType
public interface GrowthPolicy extends Plugin {

    /**
     * @param task the task in progress
     * @param editor the changes the kernel offers
     */
    void grow(TaskContext task, StructureEditor editor);

    /**
     * Checks the policy's settings against the network before training starts (before {@code onRunStart} and
     * before the run reports anything): a slot outside the grid, a blueprint that cannot fit its slot. Throw an
     * {@link IllegalArgumentException} with one line saying what is wrong and how to fix it; the run is refused.
     * Nothing by default.
     *
     * @param run the run
     * @param editor the network's shape and slot grid (a policy must not change the network here)
     * @since 1.2
     */
    default void check(RunContext run, StructureEditor editor) {
    }
}
