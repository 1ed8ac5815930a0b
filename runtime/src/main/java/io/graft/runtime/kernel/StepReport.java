package io.graft.runtime.kernel;

/**
 * One finished training step, as listeners see it.
 *
 * @param task index of the task being trained
 * @param epoch epoch within the task, from 0
 * @param step steps taken in the whole run before this one (so the first step is 0)
 * @param stepInTask steps taken in this task before this one
 * @param stepsInTask the number of steps the task will take in all (epochs × batches per epoch)
 * @param loss the step's total loss (cross-entropy over incoming and replayed rows plus penalties)
 * @param samples incoming samples of the step (the batch of the task's data)
 * @param replayed rehearsed samples trained on beside them
 */
public record StepReport(int task, int epoch, long step, long stepInTask, long stepsInTask, double loss,
                         int samples, int replayed) {}
