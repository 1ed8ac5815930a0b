package io.graft.plugin.triggers;

import io.graft.api.growth.SeedStage;
import io.graft.api.growth.SlotView;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;

/**
 * Fires when a seed that has trained (training, blending or integrated) has a measured contribution below the
 * threshold. The kernel measures contributions counterfactually every {@code model.probeEvery} steps, at stage
 * changes and at task ends; a seed not measured yet never fires it.
 */
final class ContributionTrigger implements TriggerCondition {

    private final double below;

    ContributionTrigger(double below) {
        this.below = below;
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        for (SlotView s : signals.slots()) {
            boolean trained = s.stage().live() && s.stage() != SeedStage.GERMINATED;
            if (trained && !Double.isNaN(s.contribution()) && s.contribution() < below) {
                return true;
            }
        }
        return false;
    }
}
