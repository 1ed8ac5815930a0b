package io.graft.plugin.triggers;

import java.util.Arrays;

/** Whether a step of the run is one the schedule names: one of a list, or a multiple of a period. */
final class StepSchedule {

    private final long[] steps;
    private final long every;

    StepSchedule(ScheduleSettings settings) {
        this.steps = settings.steps().clone();
        this.every = settings.every();
    }

    /**
     * @param step steps taken in the run, this one included (1 after the first step)
     * @return whether the schedule fires after this step
     */
    boolean fires(long step) {
        if (every > 0) {
            return step >= 1 && step % every == 0;
        }
        return Arrays.binarySearch(steps, step) >= 0;
    }
}
