package io.graft.plugin.er;

/**
 * Herding (Welling, 2009; the exemplar selection of iCaRL, Rebuffi et al., 2017): picks samples one at a time so
 * that the mean of the feature vectors picked so far stays as close as possible to the mean of all the
 * candidates' feature vectors. The order matters: any prefix of it approximates the mean as well as the greedy
 * choice allows, so a class that must give up memory drops its last-picked samples first.
 */
final class Herding {

    private Herding() {}

    /**
     * The greedy herding order: the {@code k}-th pick is the unpicked candidate {@code x} that minimises
     * {@code ‖μ − (φ(x) + Σ_{j<k} φ(p_j)) / k‖}, where {@code μ} is the mean of all candidates; ties go to the
     * lower index.
     *
     * @param features the candidates' feature vectors, {@code n} rows of {@code dim} values
     * @param n how many candidates
     * @param dim the length of one feature vector
     * @param m how many to pick, at most {@code n}
     * @return the indices of the picked candidates, in herding order
     */
    static int[] order(double[] features, int n, int dim, int m) {
        if (m < 0 || m > n || (long) n * dim != features.length) {
            throw new IllegalArgumentException("cannot pick " + m + " of " + n + " candidates of dimension " + dim
                    + " from " + features.length + " values");
        }
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += features[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        double[] sum = new double[dim];
        boolean[] picked = new boolean[n];
        int[] order = new int[m];
        for (int k = 1; k <= m; k++) {
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (picked[i]) {
                    continue;
                }
                double distance = 0;
                for (int j = 0; j < dim; j++) {
                    double d = mean[j] - (sum[j] + features[i * dim + j]) / k;
                    distance += d * d;
                }
                // best < 0: a NaN feature never compares smaller, and a pick must still be made
                if (distance < bestDistance || best < 0) {
                    bestDistance = distance;
                    best = i;
                }
            }
            picked[best] = true;
            order[k - 1] = best;
            for (int j = 0; j < dim; j++) {
                sum[j] += features[best * dim + j];
            }
        }
        return order;
    }
}
