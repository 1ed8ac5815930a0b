package io.graft.plugin.triggers;

import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;

/**
 * A guard, not an event: true on every call, steps and task boundaries alike, while the network is below its
 * budget ({@link Budget}). Combined with an event, e.g. plateau, it reads "grow on plateau within the budget".
 * It is a function of the current parameter count alone, so there is no state to save.
 */
final class BudgetTrigger implements TriggerCondition {

    private final Budget budget;

    BudgetTrigger(BudgetSettings settings) {
        this.budget = new Budget(settings);
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        return budget.allows(signals.parameterCount());
    }
}
