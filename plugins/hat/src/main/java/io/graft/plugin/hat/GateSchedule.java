package io.graft.plugin.hat;

/**
 * The slope {@code s} of HAT's gate {@code σ(s·e)} over a task (Serra et al. 2018, Sec. 2.4): annealed from
 * {@code 1/s_max} at the first batch to {@code s_max} at the last,
 * {@code s = 1/s_max + (s_max − 1/s_max)·(b − 1)/(B − 1)} with the batch index {@code b} counted from 1, so that
 * the gates start soft (every unit trainable) and end almost binary. Evaluation uses {@code s_max}.
 */
final class GateSchedule {

    private GateSchedule() {}

    /**
     * @param stepInTask the step within the task, from 0 (the batch index is this plus 1)
     * @param taskSteps the task's steps {@code B}; with a single step the gate is already at {@code s_max}
     * @param sMax the largest slope
     * @return the slope of this step
     */
    static double slope(long stepInTask, long taskSteps, double sMax) {
        if (taskSteps <= 1) {
            return sMax;
        }
        long b = Math.min(Math.max(stepInTask, 0), taskSteps - 1) + 1;
        return 1 / sMax + (sMax - 1 / sMax) * (b - 1) / (taskSteps - 1);
    }
}
