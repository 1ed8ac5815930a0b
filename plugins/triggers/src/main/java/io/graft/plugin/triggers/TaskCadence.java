package io.graft.plugin.triggers;

/** Which task ends fire: every k-th, counted from the first task end or from the second. */
final class TaskCadence {

    private final TaskBoundarySettings settings;

    TaskCadence(TaskBoundarySettings settings) {
        this.settings = settings;
    }

    /**
     * @param endedTasks tasks ended so far, this one included (1 at the end of the first task)
     * @return whether the end of task number {@code endedTasks} fires
     */
    boolean fires(long endedTasks) {
        long counted = settings.skipFirst() ? endedTasks - 1 : endedTasks;
        return counted >= 1 && counted % settings.every() == 0;
    }
}
