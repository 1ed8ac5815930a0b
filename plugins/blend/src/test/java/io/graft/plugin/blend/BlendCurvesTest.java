package io.graft.plugin.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The normalised curves on values worked out by hand. */
class BlendCurvesTest {

    private static final double EPS = 1e-12;

    @Test
    void linearIsTheFractionOfStepsPassed() {
        LinearCurve linear = new LinearCurve();
        assertEquals(0.25, linear.at(0.25), 0.0);
        assertEquals(0.5, linear.at(0.5), 0.0);
    }

    @Test
    void cosineIsHalfWayAtTheMidpointAndSlowAtTheEnds() {
        CosineCurve cosine = new CosineCurve();
        assertEquals(0.5, cosine.at(0.5), 0.0);
        assertEquals(0.0, cosine.at(0.0), 0.0);
        assertEquals(1.0, cosine.at(1.0), 0.0);
        // (1 − cos(π/4))/2 = (1 − √2/2)/2
        assertEquals((1 - Math.sqrt(2) / 2) / 2, cosine.at(0.25), EPS);
        assertEquals(1 - (1 - Math.sqrt(2) / 2) / 2, cosine.at(0.75), EPS);
        assertTrue(cosine.at(0.01) < 0.01, "slower than linear at the start");
    }

    @Test
    void sigmoidIsTheLogisticRescaledOntoExactEndpoints() {
        SigmoidCurve sigmoid = new SigmoidCurve(10);
        assertEquals(0.0, sigmoid.at(0.0), 0.0);
        assertEquals(1.0, sigmoid.at(1.0), 0.0);
        assertEquals(0.5, sigmoid.at(0.5), 0.0);
        // (σ(−2.5) − σ(−5)) / (σ(5) − σ(−5)) = (0.0758582 − 0.0066929) / 0.9866143
        assertEquals(logisticRescaled(10, 0.25), sigmoid.at(0.25), EPS);
        assertEquals(0.0701037, sigmoid.at(0.25), 1e-7);
        assertEquals(0.9298963, sigmoid.at(0.75), 1e-7);
    }

    @Test
    void sigmoidIsSymmetricAroundTheMidpoint() {
        for (double k : List.of(0.5, 4.0, 10.0, 40.0)) {
            SigmoidCurve sigmoid = new SigmoidCurve(k);
            for (int i = 0; i <= 100; i++) {
                double p = i / 100.0;
                assertEquals(1.0, sigmoid.at(p) + sigmoid.at(1 - p), EPS, "k " + k + ", p " + p);
            }
        }
    }

    @Test
    void aGentleSigmoidIsAlmostLinear() {
        SigmoidCurve gentle = new SigmoidCurve(1e-3);
        assertEquals(0.25, gentle.at(0.25), 1e-6);
    }

    @Test
    void sigmoidRefusesASteepnessThatIsNotPositiveAndFinite() {
        for (double k : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new SigmoidCurve(k));
        }
    }

    @Test
    void evenStagesHoldPlateausAndLandTheLastJumpOnTheEnd() {
        StepCurve four = StepCurve.evenly(4);
        assertEquals(0.0, four.at(0.0), 0.0);
        assertEquals(0.0, four.at(0.2499), 0.0);
        assertEquals(0.25, four.at(0.25), 0.0);
        assertEquals(0.5, four.at(0.5), 0.0);
        assertEquals(0.75, four.at(0.9999), 0.0);
        assertEquals(1.0, four.at(1.0), 0.0);
    }

    @Test
    void explicitJumpPointsMoveAlphaInEqualShares() {
        StepCurve thirds = new StepCurve(new double[] {0.3, 0.6});
        assertEquals(0.0, thirds.at(0.29), 0.0);
        assertEquals(0.5, thirds.at(0.3), 0.0);
        assertEquals(0.5, thirds.at(0.59), 0.0);
        assertEquals(1.0, thirds.at(0.6), 0.0);
        assertEquals(1.0, thirds.at(1.0), 0.0);
    }

    @Test
    void jumpPointsMustRiseWithinTheBlend() {
        assertThrows(IllegalArgumentException.class, () -> new StepCurve(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new StepCurve(new double[] {0.5, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new StepCurve(new double[] {0.0, 0.5}));
        assertThrows(IllegalArgumentException.class, () -> new StepCurve(new double[] {0.5, 1.5}));
    }

    private static double logisticRescaled(double k, double p) {
        return (sigma(k * (p - 0.5)) - sigma(-k / 2)) / (sigma(k / 2) - sigma(-k / 2));
    }

    private static double sigma(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
