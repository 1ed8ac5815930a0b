package io.graft.plugin.pruning;

/**
 * When the pruning stages fall: {@code stages} points spread evenly from {@code begin} to {@code end} of the
 * first task's training (shares of its steps), so that the steps after the last stage let the network recover.
 * The clock runs once per run: after its last stage it never fires again, and later tasks keep the masks.
 */
final class PruneClock {

    private final int stages;
    private final double begin;
    private final double end;
    private long done;
    private long taskSteps;
    private int applied;

    /**
     * @param stages how many pruning stages, at least 1
     * @param begin share of the task's steps after which the first stage prunes, in (0, 1]
     * @param end share after which the last stage prunes, in [begin, 1]
     */
    PruneClock(int stages, double begin, double end) {
        this.stages = stages;
        this.begin = begin;
        this.end = end;
    }

    /** @return how many stages there are */
    int stages() {
        return stages;
    }

    /**
     * The number of steps of a task after which a stage prunes.
     *
     * @param stage the stage, 1 to {@link #stages()}
     * @param steps the task's steps
     * @return a step count from 1 to {@code steps}
     */
    long stepOf(int stage, long steps) {
        double share = stages == 1 ? end : begin + (end - begin) * (stage - 1) / (stages - 1);
        return Math.max(1, Math.min(steps, Math.round(share * steps)));
    }

    /**
     * Notes a finished training step.
     *
     * @param stepInTask the step's index in its task, from 0
     * @param steps the task's steps
     */
    void stepped(long stepInTask, long steps) {
        this.done = stepInTask + 1;
        this.taskSteps = steps;
    }

    /** @return the number of stages whose step has been reached in the task in progress */
    int due() {
        if (taskSteps == 0) {
            return 0;
        }
        int due = 0;
        while (due < stages && stepOf(due + 1, taskSteps) <= done) {
            due++;
        }
        return due;
    }

    /** @return whether a stage not yet applied is due now (never at a task boundary's call) */
    boolean fires() {
        return due() > applied;
    }

    /**
     * Marks the stages due as applied.
     *
     * @return the latest stage due (several at once when a short task packs them onto one step); at least 1, so
     *     that a pruner asked by other triggers still makes progress
     */
    int advance() {
        applied = Math.min(stages, Math.max(applied + 1, due()));
        return applied;
    }

    /** @return the stages applied so far */
    int applied() {
        return applied;
    }

    /** @param applied the stages applied, from a saved state */
    void restore(int applied) {
        this.applied = applied;
    }

    /** A new task starts: its steps count from 0 again, and the remaining stages (if any) follow its length. */
    void taskStarted() {
        done = 0;
        taskSteps = 0;
    }
}
