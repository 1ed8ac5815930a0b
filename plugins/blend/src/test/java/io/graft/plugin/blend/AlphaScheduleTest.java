package io.graft.plugin.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graft.api.growth.BlendMode;
import io.graft.plugin.testkit.MapState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoints, monotonicity, clamping and the checkpoint of a whole schedule, for every curve. */
class AlphaScheduleTest {

    private static final List<BlendCurve> CURVES = List.of(new LinearCurve(), new CosineCurve(), new SigmoidCurve(10),
            StepCurve.evenly(3), new StepCurve(new double[] {0.1, 0.7}));

    @Test
    void startsExactlyAtFromAndEndsExactlyAtTo() {
        for (BlendCurve curve : CURVES) {
            // 0.1 and 0.7 are not sums of powers of two: from + (to − from)·1 would miss 0.7 by rounding
            AlphaSchedule schedule = new AlphaSchedule(new BlendSettings(7, 0.1, 0.7, BlendMode.RESIDUAL), curve);
            assertEquals(0.1, schedule.alpha(0), 0.0, curve.describe());
            assertEquals(0.7, schedule.alpha(7), 0.0, curve.describe());
        }
    }

    @Test
    void neverFallsAndStaysWithinItsEndpoints() {
        for (BlendCurve curve : CURVES) {
            for (long steps : new long[] {1, 2, 3, 10, 999}) {
                AlphaSchedule schedule = new AlphaSchedule(new BlendSettings(steps, 0.1, 0.7, BlendMode.RESIDUAL),
                        curve);
                double previous = schedule.alpha(0);
                for (long s = 1; s <= steps + 2; s++) {
                    double alpha = schedule.alpha(s);
                    assertTrue(alpha >= previous, curve.describe() + " falls at step " + s + " of " + steps);
                    assertTrue(alpha >= 0.1 && alpha <= 0.7, curve.describe() + " leaves [from, to] at step " + s);
                    previous = alpha;
                }
            }
        }
    }

    @Test
    void staysAtToAfterTheEndAndIsFinishedFromTheLastStepOn() {
        for (BlendCurve curve : CURVES) {
            AlphaSchedule schedule = new AlphaSchedule(new BlendSettings(100, 0, 1, BlendMode.RESIDUAL), curve);
            assertFalse(schedule.finished(0));
            assertFalse(schedule.finished(99));
            assertTrue(schedule.finished(100));
            assertTrue(schedule.finished(101));
            assertEquals(1.0, schedule.alpha(101), 0.0);
            assertEquals(1.0, schedule.alpha(Long.MAX_VALUE), 0.0);
        }
    }

    @Test
    void scalesTheCurveOntoTheConfiguredSpan() {
        AlphaSchedule linear = new AlphaSchedule(new BlendSettings(400, 0, 1, BlendMode.RESIDUAL), new LinearCurve());
        assertEquals(0.25, linear.alpha(100), 0.0);
        AlphaSchedule partial = new AlphaSchedule(new BlendSettings(400, 0.2, 0.6, BlendMode.RESIDUAL),
                new LinearCurve());
        assertEquals(0.3, partial.alpha(100), 1e-15);
        AlphaSchedule cosine = new AlphaSchedule(new BlendSettings(400, 0, 1, BlendMode.RESIDUAL), new CosineCurve());
        assertEquals(0.5, cosine.alpha(200), 0.0);
        AlphaSchedule step = new AlphaSchedule(new BlendSettings(300, 0, 1, BlendMode.RESIDUAL), StepCurve.evenly(3));
        assertEquals(0.0, step.alpha(99), 0.0);
        assertEquals(1.0 / 3, step.alpha(100), 0.0);
        assertEquals(2.0 / 3, step.alpha(299), 0.0);
    }

    @Test
    void reportsItsMode() {
        assertEquals(BlendMode.INTERPOLATIVE, new AlphaSchedule(new BlendSettings(5, 0, 1, BlendMode.INTERPOLATIVE),
                new LinearCurve()).mode());
        assertEquals(BlendMode.RESIDUAL, new AlphaSchedule(new BlendSettings(5, 0, 1, BlendMode.RESIDUAL),
                new LinearCurve()).mode());
    }

    @Test
    void refusesAStepBeforeTheBlendBegan() {
        AlphaSchedule schedule = new AlphaSchedule(new BlendSettings(5, 0, 1, BlendMode.RESIDUAL), new LinearCurve());
        assertThrows(IllegalArgumentException.class, () -> schedule.alpha(-1));
    }

    @Test
    void theAlphaSeriesIsTheSameAfterAStateRoundTrip() {
        BlendSettings settings = new BlendSettings(50, 0.05, 0.95, BlendMode.INTERPOLATIVE);
        AlphaSchedule before = new AlphaSchedule(settings, new SigmoidCurve(6));
        try (MapState state = new MapState()) {
            before.saveState(state);
            AlphaSchedule after = new AlphaSchedule(settings, new SigmoidCurve(6));
            after.restoreState(state);
            assertEquals(Arrays.toString(series(before, 60)), Arrays.toString(series(after, 60)));
            assertEquals(before.mode(), after.mode());
        }
    }

    @Test
    void aCheckpointOfAnotherScheduleIsRefusedInOneLine() {
        AlphaSchedule saved = new AlphaSchedule(new BlendSettings(50, 0, 1, BlendMode.RESIDUAL), new CosineCurve());
        try (MapState state = new MapState()) {
            saved.saveState(state);
            AlphaSchedule longer = new AlphaSchedule(new BlendSettings(80, 0, 1, BlendMode.RESIDUAL),
                    new CosineCurve());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> longer.restoreState(state));
            assertFalse(e.getMessage().contains("\n"));
            assertTrue(e.getMessage().contains("over 50 steps") && e.getMessage().contains("over 80 steps"),
                    e.getMessage());
        }
    }

    private static double[] series(AlphaSchedule schedule, int steps) {
        double[] alphas = new double[steps];
        for (int s = 0; s < steps; s++) {
            alphas[s] = schedule.alpha(s);
        }
        return alphas;
    }
}
