package io.graft.plugin.triggers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTriggerTest {

    private static List<Long> firedSteps(ScheduleTrigger trigger, long to) {
        List<Long> fired = new ArrayList<>();
        for (long step = 1; step <= to; step++) {
            if (trigger.fires(Signals.afterStep(step, 1.0))) {
                fired.add(step);
            }
        }
        return fired;
    }

    @Test
    void firesExactlyAtTheListedSteps() {
        ScheduleTrigger trigger = new ScheduleTrigger(new ScheduleSettings(new long[] {1, 1000, 2000}, 0));
        assertEquals(List.of(1L, 1000L, 2000L), firedSteps(trigger, 5000));
    }

    @Test
    void firesAtEveryMultipleOfThePeriod() {
        ScheduleTrigger trigger = new ScheduleTrigger(new ScheduleSettings(new long[0], 500));
        assertEquals(List.of(500L, 1000L, 1500L, 2000L), firedSteps(trigger, 2499));
    }

    @Test
    void aBoundaryCallNeverFiresEvenOnAScheduledStep() {
        ScheduleTrigger trigger = new ScheduleTrigger(new ScheduleSettings(new long[] {1000}, 0));
        assertTrue(trigger.fires(Signals.afterStep(1000, 1.0)));
        assertFalse(trigger.fires(Signals.boundary(1000, 0, 1.0)));
    }

    @Test
    void stepListsAreIncreasingWholeStepsSeparatedByCommas() {
        assertArrayEquals(new long[] {1000, 2000}, StepList.parse("1000, 2000").orElseThrow());
        assertArrayEquals(new long[] {7}, StepList.parse(" 7 ").orElseThrow());
        for (String bad : new String[] {"", " ", "1000,", "1000,,2000", "2000, 1000", "5, 5", "0, 10", "-3",
                "1e3", "ten"}) {
            assertTrue(StepList.parse(bad).isEmpty(), "'" + bad + "'");
        }
    }
}
