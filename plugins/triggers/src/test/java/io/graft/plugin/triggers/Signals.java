package io.graft.plugin.triggers;

import io.graft.api.growth.SlotView;
import io.graft.api.trigger.TrainingSignals;
import java.util.List;

/** Hand-made signals: the call after a step, or the call at a task boundary. */
record Signals(long step, int taskIndex, boolean taskBoundary, double loss, long parameterCount,
               List<SlotView> slots) implements TrainingSignals {

    static Signals afterStep(long step, double loss) {
        return new Signals(step, 0, false, loss, 1000, List.of());
    }

    static Signals boundary(long step, int taskIndex, double loss) {
        return new Signals(step, taskIndex, true, loss, 1000, List.of());
    }

    static Signals withParameters(long parameterCount, boolean taskBoundary) {
        return new Signals(1, 0, taskBoundary, 1.0, parameterCount, List.of());
    }
}
