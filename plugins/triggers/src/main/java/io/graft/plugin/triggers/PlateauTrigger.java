package io.graft.plugin.triggers;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;

/**
 * Fires when the smoothed training loss has stopped improving ({@link PlateauDetector}). A task boundary call
 * never fires (that is the {@code task-boundary} trigger's job) and does not count as a step, since it
 * repeats the last step's loss; it restarts the search for the next task.
 */
final class PlateauTrigger implements TriggerCondition, Stateful {

    private final PlateauDetector detector;

    PlateauTrigger(PlateauSettings settings) {
        this.detector = new PlateauDetector(settings);
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        if (signals.taskBoundary()) {
            detector.startTask();
            return false;
        }
        return detector.observe(signals.loss());
    }

    @Override
    public void saveState(StateWriter out) {
        detector.save(out);
    }

    @Override
    public void restoreState(StateReader in) {
        detector.restore(in);
    }
}
