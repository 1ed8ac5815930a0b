package io.graft.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContinualMetricsTest {

    // A[i][j]: accuracy on task j after training task i
    static final double[][] A = {
        {0.90, 0.20, 0.10},
        {0.70, 0.80, 0.30},
        {0.60, 0.85, 0.95},
    };
    static final double[] B = {0.10, 0.15, 0.05};

    @Test
    void handComputedMatrix() {
        ContinualMetrics m = ContinualMetrics.of(new AccuracyMatrix(B, A));
        // ACC = (0.60 + 0.85 + 0.95) / 3
        assertEquals(0.80, m.averageAccuracy(), 1e-12);
        // forgetting: task 0: max(0.9,0.7,0.6) - 0.6 = 0.3; task 1: max(0.8,0.85) - 0.85 = 0
        assertEquals(0.15, m.forgetting(), 1e-12);
        // BWT: (0.60 - 0.90 + 0.85 - 0.80) / 2 = -0.125
        assertEquals(-0.125, m.backwardTransfer(), 1e-12);
        // FWT: (A[0][1] - b1 + A[1][2] - b2) / 2 = (0.20 - 0.15 + 0.30 - 0.05) / 2 = 0.15
        assertEquals(0.15, m.forwardTransfer(), 1e-12);
    }

    @Test
    void partialMatrixUsesTheLastTrainedRow() {
        AccuracyMatrix m = new AccuracyMatrix(B, new double[][] {A[0], A[1]});
        ContinualMetrics c = ContinualMetrics.of(m);
        assertEquals((0.70 + 0.80) / 2, c.averageAccuracy(), 1e-12);
        assertEquals(0.20, c.forgetting(), 1e-12);
        assertEquals(-0.20, c.backwardTransfer(), 1e-12);
        assertEquals(0.15, c.forwardTransfer(), 1e-12);
    }

    @Test
    void singleTaskHasNoTransfer() {
        ContinualMetrics c = ContinualMetrics.of(new AccuracyMatrix(new double[] {0.1}, new double[][] {{0.9}}));
        assertEquals(0.9, c.averageAccuracy(), 1e-12);
        assertTrue(Double.isNaN(c.forgetting()));
        assertTrue(Double.isNaN(c.backwardTransfer()));
        assertTrue(Double.isNaN(c.forwardTransfer()));
    }

    @Test
    void matrixIsValueLikeAndGrowsByRows() {
        AccuracyMatrix m = new AccuracyMatrix(B, new double[0][]).withRow(0, A[0]).withRow(1, A[1]).withRow(2, A[2]);
        assertEquals(new AccuracyMatrix(B, A), m);
        assertTrue(m.complete());
        assertEquals(0.85, m.get(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new AccuracyMatrix(B, new double[0][]).withRow(1, A[0]));
        assertThrows(IllegalArgumentException.class, () -> new AccuracyMatrix(B, new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> ContinualMetrics.of(new AccuracyMatrix(B, new double[0][])));
    }
}
