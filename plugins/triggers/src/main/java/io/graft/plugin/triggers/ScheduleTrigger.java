package io.graft.plugin.triggers;

import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;

/**
 * Fires after the steps {@link StepSchedule} names. A task boundary call never fires: it carries the step
 * number of the task's last step, which has had its call already, so firing there would fire that step twice.
 * The decision is a function of the step number alone, so there is no state to save.
 */
final class ScheduleTrigger implements TriggerCondition {

    private final StepSchedule schedule;

    ScheduleTrigger(ScheduleSettings settings) {
        this.schedule = new StepSchedule(settings);
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        return !signals.taskBoundary() && schedule.fires(signals.step());
    }
}
