package io.graft.plugin.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GateScheduleTest {

    @Test
    void firstBatchIsBatchOneAndStartsAtTheInverseSlope() {
        // b = stepInTask + 1 = 1: s = 1/s_max + (s_max − 1/s_max)·0/(B − 1)
        assertEquals(1.0 / 400, GateSchedule.slope(0, 5, 400), 1e-12);
    }

    @Test
    void lastBatchReachesSMaxAndTheMiddleIsLinear() {
        assertEquals(400, GateSchedule.slope(4, 5, 400), 1e-9);
        // b = 3 of B = 5: 1/400 + (400 − 1/400)·2/4
        assertEquals(0.0025 + (400 - 0.0025) * 0.5, GateSchedule.slope(2, 5, 400), 1e-9);
        assertEquals(0.0025 + (400 - 0.0025) * 0.25, GateSchedule.slope(1, 5, 400), 1e-9);
    }

    @Test
    void aSingleStepTaskIsAtSMax() {
        assertEquals(400, GateSchedule.slope(0, 1, 400), 1e-12);
    }
}
