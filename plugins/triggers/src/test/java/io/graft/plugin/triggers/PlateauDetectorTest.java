package io.graft.plugin.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlateauDetectorTest {

    /** Improves by 0.1 a step down to 0.4 at step 7, then stays at 0.4. */
    private static double stallsAfterStep7(long step) {
        return step <= 7 ? 1.1 - 0.1 * step : 1.1 - 0.1 * 7;
    }

    private static PlateauSettings raw(int patience, int cooldown) {
        return new PlateauSettings(patience, 0.01, ThresholdMode.RELATIVE, 0, cooldown, 0);
    }

    private static List<Long> firedSteps(PlateauDetector detector, long from, long to,
                                         java.util.function.LongToDoubleFunction loss) {
        List<Long> fired = new ArrayList<>();
        for (long step = from; step <= to; step++) {
            if (detector.observe(loss.applyAsDouble(step))) {
                fired.add(step);
            }
        }
        return fired;
    }

    @Test
    void aLossThatStallsAfterStep7FiresExactlyAtStep10WithPatience3() {
        PlateauDetector detector = new PlateauDetector(raw(3, 1000));
        assertEquals(List.of(10L), firedSteps(detector, 1, 30, PlateauDetectorTest::stallsAfterStep7));
    }

    @Test
    void withoutCooldownAStillStalledLossFiresAgainEveryPatienceSteps() {
        PlateauDetector detector = new PlateauDetector(raw(3, 0));
        assertEquals(List.of(10L, 13L, 16L), firedSteps(detector, 1, 16, PlateauDetectorTest::stallsAfterStep7));
    }

    @Test
    void cooldownStepsNeitherFireNorCountAsStalled() {
        // fires at 10; 11..15 are cooldown; 16, 17, 18 stalled: fires at 18, then 19..23 cooldown, 26
        PlateauDetector detector = new PlateauDetector(raw(3, 5));
        assertEquals(List.of(10L, 18L, 26L), firedSteps(detector, 1, 27, PlateauDetectorTest::stallsAfterStep7));
    }

    @Test
    void anImprovementRestartsThePatience() {
        // 0.4 at steps 7..8, 0.3 at 9 (an improvement by 25 %), then flat: fires at 12, not 10
        PlateauDetector detector = new PlateauDetector(raw(3, 1000));
        assertEquals(List.of(12L), firedSteps(detector, 1, 20,
                step -> step == 8 ? 0.4 : step >= 9 ? 0.3 : stallsAfterStep7(step)));
    }

    @Test
    void aSlowFallIsJudgedAgainstTheBestNotTheLastStep() {
        // the loss falls 0.5 % a step and the best stays put while stalled: with a 1 % margin, steps 2 and 3
        // (0.5 % and 0.9975 % below the best) are stalled and patience 2 fires at 3; with patience 3, step 4
        // is 1.49 % below the best, an improvement, so the same slow fall never fires
        java.util.function.LongToDoubleFunction creeping = step -> Math.pow(0.995, step);
        PlateauDetector impatient = new PlateauDetector(new PlateauSettings(2, 0.01, ThresholdMode.RELATIVE, 0, 100, 0));
        assertEquals(List.of(3L), firedSteps(impatient, 1, 40, creeping));
        PlateauDetector patient = new PlateauDetector(new PlateauSettings(3, 0.01, ThresholdMode.RELATIVE, 0, 100, 0));
        assertEquals(List.of(), firedSteps(patient, 1, 40, creeping));
        PlateauDetector fine = new PlateauDetector(new PlateauSettings(1, 0.001, ThresholdMode.RELATIVE, 0, 100, 0));
        assertEquals(List.of(), firedSteps(fine, 1, 40, creeping));
    }

    @Test
    void relativeAndAbsoluteThresholdsReadTheMarginDifferently() {
        // from 10 to 9.95: 0.5 % relative, 0.05 absolute
        PlateauDetector relative = new PlateauDetector(new PlateauSettings(1, 0.01, ThresholdMode.RELATIVE, 0, 0, 0));
        PlateauDetector absolute = new PlateauDetector(new PlateauSettings(1, 0.01, ThresholdMode.ABSOLUTE, 0, 0, 0));
        relative.observe(10);
        absolute.observe(10);
        assertTrue(relative.observe(9.95), "0.5 % is within a 1 % relative margin");
        assertFalse(absolute.observe(9.95), "0.05 is beyond an absolute margin of 0.01");
    }

    @Test
    void smoothingAveragesTheLossBeforeComparing() {
        // losses 1, 1, 0.5, 0.5, ... with smoothing 0.5: averages 1, 1, 0.75, 0.625, 0.5625, 0.53125;
        // absolute margin 0.1: improved at 3 (0.25) and 4 (0.125), stalled at 5 and 6, fires at 6
        java.util.function.LongToDoubleFunction drop = step -> step <= 2 ? 1.0 : 0.5;
        PlateauDetector smoothed = new PlateauDetector(new PlateauSettings(2, 0.1, ThresholdMode.ABSOLUTE, 0.5, 100, 0));
        List<Double> averages = new ArrayList<>();
        List<Long> fired = new ArrayList<>();
        for (long step = 1; step <= 8; step++) {
            if (smoothed.observe(drop.applyAsDouble(step))) {
                fired.add(step);
            }
            averages.add(smoothed.smoothed());
        }
        assertEquals(List.of(1.0, 1.0, 0.75, 0.625, 0.5625, 0.53125, 0.515625, 0.5078125), averages);
        assertEquals(List.of(6L), fired);
        // the raw loss improves once, at step 3, and fires at 5
        PlateauDetector unsmoothed = new PlateauDetector(new PlateauSettings(2, 0.1, ThresholdMode.ABSOLUTE, 0, 100, 0));
        assertEquals(List.of(5L), firedSteps(unsmoothed, 1, 8, drop));
    }

    @Test
    void warmupStepsOnlyFeedTheAverage() {
        // a flat loss with patience 2: step 1 sets the best and 3 fires; with warmup 3, step 4 sets it and 6 fires
        PlateauDetector cold = new PlateauDetector(new PlateauSettings(2, 0.01, ThresholdMode.RELATIVE, 0, 100, 0));
        assertEquals(List.of(3L), firedSteps(cold, 1, 10, step -> 1.0));
        PlateauDetector warm = new PlateauDetector(new PlateauSettings(2, 0.01, ThresholdMode.RELATIVE, 0, 100, 3));
        assertEquals(List.of(6L), firedSteps(warm, 1, 10, step -> 1.0));
    }

    @Test
    void aNewTaskRestartsTheSearchFromItsOwnLoss() {
        PlateauDetector detector = new PlateauDetector(new PlateauSettings(3, 0.01, ThresholdMode.RELATIVE, 0, 0, 2));
        assertEquals(List.of(), firedSteps(detector, 1, 6, step -> 1.0 / step));
        detector.startTask();
        // the new task's loss (2.0 then falling) is far above the old best of 1/6: without the restart every
        // step would be stalled and the trigger would fire at the 3rd; with it, warmup 2 then a fresh best
        assertEquals(List.of(), firedSteps(detector, 7, 12, step -> 2.0 / (step - 6)));
        assertEquals(List.of(15L), firedSteps(detector, 13, 15, step -> 2.0 / 6));
    }

    @Test
    void aCooldownGoesOnAcrossATaskBoundary() {
        PlateauDetector detector = new PlateauDetector(raw(1, 4));
        assertEquals(List.of(2L), firedSteps(detector, 1, 2, step -> 1.0));
        detector.startTask();
        // 3 sets the new task's best, 4..6 would fire with patience 1 but 3..6 are the cooldown; 7 fires
        assertEquals(List.of(7L), firedSteps(detector, 3, 7, step -> 1.0));
    }

    @Test
    void aNonFiniteLossIsRefused() {
        PlateauDetector detector = new PlateauDetector(raw(3, 0));
        assertThrows(IllegalArgumentException.class, () -> detector.observe(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> detector.observe(Double.POSITIVE_INFINITY));
    }
}
