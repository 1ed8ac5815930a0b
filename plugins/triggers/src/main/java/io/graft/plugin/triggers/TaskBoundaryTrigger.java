package io.graft.plugin.triggers;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;

/**
 * Fires at task boundaries as {@link TaskCadence} selects them, never after an ordinary step. It counts the
 * boundary calls itself rather than reading {@code taskIndex()}, whose value at a boundary (the task that
 * ended or the next one) the api leaves open; the count is its state.
 */
final class TaskBoundaryTrigger implements TriggerCondition, Stateful {

    private final TaskCadence cadence;
    private long endedTasks;

    TaskBoundaryTrigger(TaskBoundarySettings settings) {
        this.cadence = new TaskCadence(settings);
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        if (!signals.taskBoundary()) {
            return false;
        }
        endedTasks++;
        return cadence.fires(endedTasks);
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("endedTasks", endedTasks);
    }

    @Override
    public void restoreState(StateReader in) {
        endedTasks = in.getLong("endedTasks");
    }
}
