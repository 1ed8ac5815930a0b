package io.graft.plugin.gem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DualQpTest {

    /** P = G Gᵀ and q = G g. */
    private static double[][] gram(double[][] rows) {
        int t = rows.length;
        double[][] p = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                p[i][j] = dot(rows[i], rows[j]);
            }
        }
        return p;
    }

    private static double[] dots(double[][] rows, double[] g) {
        double[] q = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            q[i] = dot(rows[i], g);
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** g̃ = g + Gᵀv. */
    private static double[] projected(double[][] rows, double[] g, double[] v) {
        double[] out = g.clone();
        for (int k = 0; k < rows.length; k++) {
            for (int i = 0; i < g.length; i++) {
                out[i] += v[k] * rows[k][i];
            }
        }
        return out;
    }

    /**
     * g_1 = (1, 0), g_2 = (1, 1), g = (−1, 2): g·g_1 = −1, g·g_2 = 1. The closest vector with x >= 0 and
     * x + y >= 0 is (0, 2): only the first constraint is active, v = (1, 0).
     */
    @Test
    void solvesATwoDimensionalCaseByHand() {
        double[][] rows = {{1, 0}, {1, 1}};
        double[] g = {-1, 2};
        DualQp.Solution s = DualQp.solve(gram(rows), dots(rows, g), 0);
        assertArrayEquals(new double[] {1, 0}, s.v(), 1e-10);
        assertArrayEquals(new boolean[] {true, false}, s.active());
        assertEquals(1, s.activeCount());
        assertArrayEquals(new double[] {0, 2}, projected(rows, g, s.v()), 1e-10);
    }

    /**
     * Same problem with the margin γ = 0.5: P = [[1, 1], [1, 2]], q = (−1, 1). At v = (0.5, 0.5) the dual
     * gradient P v + q is (0, 2.5) >= 0, so v = (0.5, 0.5) and g̃ = (−1, 2) + 0.5·(1, 0) + 0.5·(1, 1) = (0, 2.5):
     * the first constraint is met with equality and the update leans towards g_2.
     */
    @Test
    void theMarginBoundsTheMultipliersFromBelow() {
        double[][] rows = {{1, 0}, {1, 1}};
        double[] g = {-1, 2};
        DualQp.Solution s = DualQp.solve(gram(rows), dots(rows, g), 0.5);
        assertArrayEquals(new double[] {0.5, 0.5}, s.v(), 1e-10);
        assertArrayEquals(new double[] {0, 2.5}, projected(rows, g, s.v()), 1e-10);
    }

    /** g = (−1, −2) against both axes: the closest vector in the positive quadrant is 0, v = (1, 2). */
    @Test
    void bothConstraintsActive() {
        double[][] rows = {{1, 0}, {0, 1}};
        DualQp.Solution s = DualQp.solve(gram(rows), dots(rows, new double[] {-1, -2}), 0);
        assertArrayEquals(new double[] {1, 2}, s.v(), 1e-10);
        assertEquals(2, s.activeCount());
    }

    @Test
    void nothingToDoWhenNoConstraintIsViolated() {
        double[][] rows = {{1, 0}, {1, 1}};
        DualQp.Solution s = DualQp.solve(gram(rows), dots(rows, new double[] {1, 2}), 0);
        assertArrayEquals(new double[] {0, 0}, s.v(), 0);
        assertEquals(0, s.activeCount());
    }

    @Test
    void randomProblemsMeetTheConstraintsAndTheKktConditionsAndMatchBruteForce() {
        Random random = new Random(11);
        int violated = 0;
        for (int trial = 0; trial < 200; trial++) {
            int t = 1 + random.nextInt(6);
            int d = 3 + random.nextInt(48);
            double[][] rows = new double[t][];
            for (int k = 0; k < t; k++) {
                rows[k] = gaussian(random, d);
            }
            double[] g = gaussian(random, d);
            double[] q = dots(rows, g);
            boolean any = false;
            for (double x : q) {
                any |= x < 0;
            }
            if (any) {
                violated++;
            }
            for (double margin : new double[] {0, 0.5}) {
                DualQp.Solution s = DualQp.solve(gram(rows), q, margin);
                double[] gt = projected(rows, g, s.v());
                for (int k = 0; k < t; k++) {
                    double c = dot(gt, rows[k]);
                    String where = "trial " + trial + " (t=" + t + ", d=" + d + ", γ=" + margin + ") k=" + k;
                    assertTrue(c >= -1e-9, where + ": g̃·g_k = " + c); // primal feasibility
                    assertTrue(s.v()[k] >= margin, where + ": v_k = " + s.v()[k]); // dual feasibility
                    assertEquals(0, (s.v()[k] - margin) * c, 1e-9, where + ": complementary slackness");
                    if (s.active()[k]) {
                        assertEquals(0, c, 1e-9, where + ": an active constraint holds with equality");
                    } else {
                        assertEquals(margin, s.v()[k], 0, where + ": an inactive multiplier sits on its bound");
                    }
                }
                if (margin == 0) {
                    double[] best = bruteForce(rows, g);
                    assertArrayEquals(best, gt, 1e-7 * (1 + norm(g)), "trial " + trial + ": the closest vector");
                }
            }
        }
        assertTrue(violated > 50, "enough random problems need a projection: " + violated);
    }

    @Test
    void dependentAndZeroGradientsAreHandled() {
        // a duplicated memory gradient and a zero one: G Gᵀ is singular
        double[][] rows = {{1, 2, 0}, {1, 2, 0}, {0, 0, 0}, {0, 1, 1}};
        double[] g = {-1, -1, 3};
        DualQp.Solution s = DualQp.solve(gram(rows), dots(rows, g), 0);
        double[] gt = projected(rows, g, s.v());
        for (double[] r : rows) {
            assertTrue(dot(gt, r) >= -1e-9, "g̃·g_k = " + dot(gt, r));
        }
        assertArrayEquals(bruteForce(rows, g), gt, 1e-8);
        // more constraints than dimensions: the feasible cone is {0}
        double[][] around = {{1, 0}, {-1, 1}, {-1, -1}};
        DualQp.Solution z = DualQp.solve(gram(around), dots(around, new double[] {2, 1}), 0);
        assertArrayEquals(new double[] {0, 0}, projected(around, new double[] {2, 1}, z.v()), 1e-9);
        // every memory gradient zero: nothing to protect
        DualQp.Solution none = DualQp.solve(new double[][] {{0}}, new double[] {0}, 0.5);
        assertArrayEquals(new double[] {0.5}, none.v(), 0);
        assertFalse(none.active()[0]);
    }

    @Test
    void refusesMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> DualQp.solve(new double[][] {{1}}, new double[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> DualQp.solve(new double[][] {{1}}, new double[] {1}, -1));
    }

    /**
     * The closest point of the cone {z : G z >= 0} to g by enumeration: for every set S of constraints with
     * linearly independent rows, project g onto {z : G_S z = 0}; keep the feasible candidate nearest to g.
     */
    private static double[] bruteForce(double[][] rows, double[] g) {
        int t = rows.length;
        double[] best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int mask = 0; mask < (1 << t); mask++) {
            int n = Integer.bitCount(mask);
            double[][] s = new double[n][];
            int at = 0;
            for (int k = 0; k < t; k++) {
                if ((mask & (1 << k)) != 0) {
                    s[at++] = rows[k];
                }
            }
            double[] lambda = solveSymmetric(gram(s), dots(s, g));
            if (lambda == null) {
                continue; // dependent rows: the same subspace comes from an independent subset
            }
            double[] z = g.clone();
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < z.length; i++) {
                    z[i] -= lambda[k] * s[k][i];
                }
            }
            boolean feasible = true;
            for (double[] r : rows) {
                feasible &= dot(z, r) >= -1e-9;
            }
            double distance = 0;
            for (int i = 0; i < z.length; i++) {
                distance += (z[i] - g[i]) * (z[i] - g[i]);
            }
            if (feasible && distance < bestDistance) {
                bestDistance = distance;
                best = z;
            }
        }
        return best;
    }

    /** Gaussian elimination with partial pivoting; {@code null} when (numerically) singular. */
    private static double[] solveSymmetric(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-9 * scale) {
                return null;
            }
            double[] tr = a[col];
            a[col] = a[pivot];
            a[pivot] = tr;
            double tb = b[col];
            b[col] = b[pivot];
            b[pivot] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int c = i + 1; c < n; c++) {
                s -= a[i][c] * x[c];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
