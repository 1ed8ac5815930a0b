package io.graft.plugin.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.graft.plugin.testkit.MapState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlateauTriggerTest {

    private static final PlateauSettings SETTINGS = new PlateauSettings(3, 0.01, ThresholdMode.RELATIVE, 0.5, 2, 1);

    /** Two tasks of 40 steps: each loss falls then flattens, with a bump every 9 steps. */
    private static double loss(long step) {
        long inTask = (step - 1) % 40 + 1;
        double base = 0.5 + 2.0 / inTask;
        return step % 9 == 0 ? base * 1.3 : base;
    }

    private static List<Long> drive(PlateauTrigger trigger, long from, long to) {
        List<Long> fired = new ArrayList<>();
        for (long step = from; step <= to; step++) {
            if (trigger.fires(Signals.afterStep(step, loss(step)))) {
                fired.add(step);
            }
            if (step % 40 == 0) {
                assertFalse(trigger.fires(Signals.boundary(step, (int) (step / 40) - 1, loss(step))),
                        "a boundary call never fires");
            }
        }
        return fired;
    }

    @Test
    void aBoundaryCallNeverFiresEvenWhenThePlateauIsDue() {
        PlateauTrigger trigger = new PlateauTrigger(new PlateauSettings(2, 0.01, ThresholdMode.RELATIVE, 0, 0, 0));
        trigger.fires(Signals.afterStep(1, 1.0));
        trigger.fires(Signals.afterStep(2, 1.0));
        // one more stalled step would fire; the boundary call neither fires nor counts, and restarts the task
        assertFalse(trigger.fires(Signals.boundary(2, 0, 1.0)));
        assertFalse(trigger.fires(Signals.afterStep(3, 1.0)), "first step of the new task sets its best");
        assertFalse(trigger.fires(Signals.afterStep(4, 1.0)));
        assertEquals(true, trigger.fires(Signals.afterStep(5, 1.0)));
    }

    @Test
    void aRestoredTriggerContinuesExactlyAsTheOriginal() {
        List<Long> uninterrupted = drive(new PlateauTrigger(SETTINGS), 1, 80);
        assertFalse(uninterrupted.isEmpty(), "the sequence must exercise firing");

        for (long cut : new long[] {5, 17, 40, 63}) {
            PlateauTrigger first = new PlateauTrigger(SETTINGS);
            List<Long> fired = new ArrayList<>(drive(first, 1, cut));
            PlateauTrigger resumed = new PlateauTrigger(SETTINGS);
            try (MapState state = new MapState()) {
                first.saveState(state);
                resumed.restoreState(state);
            }
            fired.addAll(drive(resumed, cut + 1, 80));
            assertEquals(uninterrupted, fired, "resumed after step " + cut);
        }
    }
}
