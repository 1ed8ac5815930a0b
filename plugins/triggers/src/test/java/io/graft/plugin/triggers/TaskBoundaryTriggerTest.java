package io.graft.plugin.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.graft.plugin.testkit.MapState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskBoundaryTriggerTest {

    private static List<Long> firingTaskEnds(TaskCadence cadence, int tasks) {
        List<Long> fired = new ArrayList<>();
        for (long ended = 1; ended <= tasks; ended++) {
            if (cadence.fires(ended)) {
                fired.add(ended);
            }
        }
        return fired;
    }

    @Test
    void cadenceCountsTaskEndsFromTheFirstOrTheSecond() {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), firingTaskEnds(new TaskCadence(new TaskBoundarySettings(1, false)), 6));
        assertEquals(List.of(2L, 4L, 6L), firingTaskEnds(new TaskCadence(new TaskBoundarySettings(2, false)), 6));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), firingTaskEnds(new TaskCadence(new TaskBoundarySettings(1, true)), 6));
        assertEquals(List.of(3L, 5L), firingTaskEnds(new TaskCadence(new TaskBoundarySettings(2, true)), 6));
        assertEquals(List.of(4L), firingTaskEnds(new TaskCadence(new TaskBoundarySettings(3, true)), 6));
    }

    /** Five tasks of 10 steps; returns the task ends (1-based) at which the trigger fired. */
    private static List<Integer> drive(TaskBoundaryTrigger trigger, int fromTask, int toTask) {
        List<Integer> fired = new ArrayList<>();
        for (int task = fromTask; task < toTask; task++) {
            for (long step = task * 10L + 1; step <= task * 10L + 10; step++) {
                assertFalse(trigger.fires(Signals.afterStep(step, 1.0)), "an ordinary step never fires");
            }
            if (trigger.fires(Signals.boundary(task * 10L + 10, task, 1.0))) {
                fired.add(task + 1);
            }
        }
        return fired;
    }

    @Test
    void firesOnlyAtTheSelectedBoundaries() {
        assertEquals(List.of(3, 5), drive(new TaskBoundaryTrigger(new TaskBoundarySettings(2, true)), 0, 5));
        assertEquals(List.of(1, 2, 3, 4, 5), drive(new TaskBoundaryTrigger(new TaskBoundarySettings(1, false)), 0, 5));
    }

    @Test
    void aRestoredTriggerKeepsCountingTaskEnds() {
        TaskBoundarySettings settings = new TaskBoundarySettings(2, false);
        TaskBoundaryTrigger first = new TaskBoundaryTrigger(settings);
        List<Integer> fired = new ArrayList<>(drive(first, 0, 3));
        TaskBoundaryTrigger resumed = new TaskBoundaryTrigger(settings);
        try (MapState state = new MapState()) {
            first.saveState(state);
            resumed.restoreState(state);
        }
        fired.addAll(drive(resumed, 3, 6));
        assertEquals(List.of(2, 4, 6), fired);
        // a fresh instance would have counted the 5th task end as its 2nd
        assertEquals(List.of(5), drive(new TaskBoundaryTrigger(settings), 3, 6));
    }
}
