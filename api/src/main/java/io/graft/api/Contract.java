package io.graft.api;

import io.graft.api.gradient.GradientTransform;
import io.graft.api.growth.BlendSchedule;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.masking.TaskMask;
import io.graft.api.pruning.Pruner;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.trigger.TriggerCondition;
import java.util.EnumSet;
import java.util.Set;

/** The contracts a plugin can implement, each tied to the interface the kernel calls. */
public enum Contract {
    /** Adds a penalty to the loss: {@link Regularizer}. */
    REGULARIZER(Regularizer.class),
    /** Mixes remembered or generated samples into training: {@link Rehearsal}. */
    REHEARSAL(Rehearsal.class),
    /** Changes gradients before the optimizer step: {@link GradientTransform}. */
    GRADIENT_TRANSFORM(GradientTransform.class),
    /** Adds capacity: {@link GrowthPolicy}. */
    GROWTH_POLICY(GrowthPolicy.class),
    /** Removes capacity: {@link Pruner}. */
    PRUNER(Pruner.class),
    /** Decides when a structural action fires: {@link TriggerCondition}. */
    TRIGGER_CONDITION(TriggerCondition.class),
    /** Moves a new module's alpha from 0 to 1: {@link BlendSchedule}. */
    BLEND_SCHEDULE(BlendSchedule.class),
    /**
     * Masks weights or hidden units per task in the forward pass: {@link TaskMask}.
     *
     * @since api 1.1
     */
    TASK_MASK(TaskMask.class);

    private final Class<? extends Plugin> type;

    Contract(Class<? extends Plugin> type) {
        this.type = type;
    }

    /**
     * The interface of this contract.
     *
     * @return the interface a plugin implements
     */
    public Class<? extends Plugin> type() {
        return type;
    }

    /**
     * The contracts an instance actually implements.
     *
     * @param plugin a plugin instance
     * @return its contracts, possibly empty (a pure observer)
     */
    public static Set<Contract> implementedBy(Plugin plugin) {
        Set<Contract> found = EnumSet.noneOf(Contract.class);
        for (Contract c : values()) {
            if (c.type.isInstance(plugin)) {
                found.add(c);
            }
        }
        return found;
    }
}
