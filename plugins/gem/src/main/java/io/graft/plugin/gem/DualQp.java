package io.graft.plugin.gem;

import java.util.Arrays;

/**
 * The dual of GEM's projection, solved exactly in plain doubles.
 *
 * <p>With the rows of {@code G} the earlier tasks' gradients {@code g_k} and {@code g} the step's gradient, the
 * primal problem {@code min ½‖g̃ − g‖²} subject to {@code G g̃ >= 0} has the dual
 * <pre>
 *   min_v ½ vᵀ P v + qᵀ v   subject to   v >= γ,     P = G Gᵀ,  q = G g
 * </pre>
 * and {@code g̃ = Gᵀv + g}. Only {@code P} (t × t) and {@code q} (t) are needed, t being the number of earlier
 * tasks. The gradient of the dual objective is {@code P v + q = G g̃}, so its optimality conditions say exactly
 * that every constraint {@code g̃·g_k >= 0} holds, with equality where {@code v_k > γ}. With {@code γ = 0}
 * (the exact projection) the multipliers {@code v} also certify that {@code g̃} is the closest such vector;
 * {@code γ > 0} is the paper's bias towards the earlier tasks' gradients.
 *
 * <p>The solver is the primal active-set method of Lawson and Hanson written for a bound-constrained quadratic:
 * with {@code w = v − γ >= 0} it frees, one at a time, the bound whose gradient is most negative, solves the
 * equality-constrained problem on the free set by Cholesky, and steps back to the boundary when that solution
 * leaves the feasible set. It terminates in finitely many steps at the exact optimum (up to rounding). A
 * relative ridge of {@value #RIDGE} × max diag(P) keeps {@code P} positive definite when the gradients are
 * linearly dependent (more tasks than dimensions, or duplicated memories); it moves each constraint by at most
 * {@code ridge·v_k}.
 */
final class DualQp {

    /** The ridge added to {@code P}'s diagonal, relative to its largest diagonal entry. */
    static final double RIDGE = 1e-12;

    /** Relative tolerance on the dual gradient for optimality. */
    static final double TOLERANCE = 1e-13;

    /**
     * An optimum of the dual.
     *
     * @param v the multipliers, each {@code >= γ}
     * @param active the constraints held with equality ({@code v_k > γ}, so {@code g̃·g_k = 0})
     * @param iterations active-set changes it took
     */
    record Solution(double[] v, boolean[] active, int iterations) {

        /** @return how many constraints are active */
        int activeCount() {
            int n = 0;
            for (boolean a : active) {
                if (a) {
                    n++;
                }
            }
            return n;
        }
    }

    private DualQp() {}

    /**
     * @param p {@code G Gᵀ}, symmetric positive semi-definite, t × t
     * @param q {@code G g}, t
     * @param margin the lower bound γ >= 0 of every {@code v_k}
     * @return the optimum
     */
    static Solution solve(double[][] p, double[] q, double margin) {
        int t = q.length;
        if (p.length != t) {
            throw new IllegalArgumentException(p.length + " rows in P but " + t + " entries in q");
        }
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be a finite number >= 0: " + margin);
        }
        double maxDiag = 0;
        double maxQ = 0;
        for (int i = 0; i < t; i++) {
            if (p[i].length != t) {
                throw new IllegalArgumentException("P is not square: row " + i + " has " + p[i].length + " entries");
            }
            maxDiag = Math.max(maxDiag, p[i][i]);
            maxQ = Math.max(maxQ, Math.abs(q[i]));
        }
        double[] v = new double[t];
        Arrays.fill(v, margin);
        boolean[] free = new boolean[t];
        if (t == 0 || maxDiag <= 0 || !Double.isFinite(maxDiag)) {
            return new Solution(v, free, 0); // every g_k is zero: nothing can be protected
        }
        // A = P (symmetrised) + ridge; c = q + A·γ1, so that the dual is min ½wᵀAw + cᵀw over w >= 0
        double ridge = RIDGE * maxDiag;
        double[][] a = new double[t][t];
        double[] c = new double[t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                a[i][j] = 0.5 * (p[i][j] + p[j][i]) + (i == j ? ridge : 0);
            }
        }
        for (int i = 0; i < t; i++) {
            double s = q[i];
            for (int j = 0; j < t; j++) {
                s += a[i][j] * margin;
            }
            c[i] = s;
        }
        double tol = TOLERANCE * Math.max(maxQ + maxDiag * (1 + margin * t), Double.MIN_NORMAL);
        double[] w = new double[t];
        int iterations = 0;
        int limit = 50 * (t + 1) * (t + 1);
        while (iterations < limit) {
            double[] grad = gradient(a, c, w);
            int enter = -1;
            for (int i = 0; i < t; i++) {
                if (!free[i] && grad[i] < -tol && (enter < 0 || grad[i] < grad[enter])) {
                    enter = i;
                }
            }
            if (enter < 0) {
                break;
            }
            free[enter] = true;
            iterations++;
            boolean first = true;
            while (iterations < limit) {
                double[] z = solveFree(a, c, free);
                if (z == null || (first && z[enter] <= 0)) {
                    // rounding only (A is positive definite, so a freed bound with a negative gradient moves
                    // inwards): the current point is optimal to working precision
                    free[enter] = false;
                    return finish(v, w, free, margin, iterations);
                }
                first = false;
                int leave = -1;
                double step = 1;
                for (int i = 0; i < t; i++) {
                    if (free[i] && z[i] <= 0) {
                        double s = w[i] / (w[i] - z[i]);
                        if (leave < 0 || s < step) {
                            step = s;
                            leave = i;
                        }
                    }
                }
                if (leave < 0) {
                    System.arraycopy(z, 0, w, 0, t);
                    break;
                }
                for (int i = 0; i < t; i++) {
                    if (free[i]) {
                        w[i] += step * (z[i] - w[i]);
                    }
                }
                w[leave] = 0;
                free[leave] = false;
                for (int i = 0; i < t; i++) {
                    if (free[i] && w[i] <= 0) {
                        w[i] = 0;
                        free[i] = false;
                    }
                }
                iterations++;
            }
        }
        return finish(v, w, free, margin, iterations);
    }

    private static Solution finish(double[] v, double[] w, boolean[] free, double margin, int iterations) {
        for (int i = 0; i < v.length; i++) {
            v[i] = margin + w[i];
        }
        return new Solution(v, free, iterations);
    }

    private static double[] gradient(double[][] a, double[] c, double[] w) {
        int t = c.length;
        double[] grad = new double[t];
        for (int i = 0; i < t; i++) {
            double s = c[i];
            for (int j = 0; j < t; j++) {
                s += a[i][j] * w[j];
            }
            grad[i] = s;
        }
        return grad;
    }

    /**
     * Solves {@code A_FF z_F = −c_F} by Cholesky, {@code z = 0} off the free set.
     *
     * @return z, or {@code null} if {@code A_FF} is not numerically positive definite
     */
    private static double[] solveFree(double[][] a, double[] c, boolean[] free) {
        int t = c.length;
        int[] idx = new int[t];
        int n = 0;
        for (int i = 0; i < t; i++) {
            if (free[i]) {
                idx[n++] = i;
            }
        }
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[idx[i]][idx[j]];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = -c[idx[i]];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        double[] z = new double[t];
        for (int i = 0; i < n; i++) {
            z[idx[i]] = x[i];
        }
        return z;
    }
}
