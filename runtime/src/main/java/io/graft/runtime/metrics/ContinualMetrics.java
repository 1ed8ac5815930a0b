package io.graft.runtime.metrics;

/**
 * The summary numbers of an {@link AccuracyMatrix}. With {@code T} tasks, {@code A[i][j]} the accuracy on
 * task {@code j} after training task {@code i} and {@code b[j]} the untrained model's accuracy:
 * <ul>
 *   <li>average accuracy {@code = mean_j A[T-1][j]} (the last row);</li>
 *   <li>forgetting {@code = mean_{j<T-1} (max_{i in j..T-1} A[i][j] − A[T-1][j])};</li>
 *   <li>backward transfer {@code = mean_{j<T-1} (A[T-1][j] − A[j][j])};</li>
 *   <li>forward transfer {@code = mean_{j>=1} (A[j-1][j] − b[j])}.</li>
 * </ul>
 * For a matrix of a run that stopped after {@code k < T} tasks the same formulas use the last trained row
 * {@code k-1} in place of {@code T-1}, and average accuracy is the mean over the tasks trained
 * ({@code j < k}). A number that has no terms (forgetting of a single task) is {@code NaN}. The one-row
 * matrix of joint training ({@link AccuracyMatrix#joint}) has an average accuracy over every task and no
 * forgetting, backward or forward transfer (all {@code NaN}): nothing was learnt in sequence.
 *
 * @param averageAccuracy mean accuracy of the last row
 * @param forgetting mean drop from each task's best accuracy to its final one
 * @param backwardTransfer mean change of each task's accuracy from just after training it to the end
 * @param forwardTransfer mean gain on each task, before training it, over the untrained model
 */
public record ContinualMetrics(double averageAccuracy, double forgetting, double backwardTransfer,
                               double forwardTransfer) {

    /**
     * @param m an accuracy matrix with at least one trained row
     * @return its summary numbers
     * @throws IllegalArgumentException if no task has been trained
     */
    public static ContinualMetrics of(AccuracyMatrix m) {
        int k = m.trainedTasks();
        if (k == 0) {
            throw new IllegalArgumentException("no task trained yet");
        }
        int last = k - 1;
        int columns = m.complete() ? m.tasks() : k;
        double acc = 0;
        for (int j = 0; j < columns; j++) {
            acc += m.get(last, j);
        }
        acc /= columns;

        double forgetting = 0;
        double bwt = 0;
        for (int j = 0; j < last; j++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int i = j; i <= last; i++) {
                best = Math.max(best, m.get(i, j));
            }
            forgetting += best - m.get(last, j);
            bwt += m.get(last, j) - m.get(j, j);
        }
        forgetting = last == 0 ? Double.NaN : forgetting / last;
        bwt = last == 0 ? Double.NaN : bwt / last;

        double[] b = m.baseline();
        double fwt = 0;
        int terms = 0;
        for (int j = 1; j < m.tasks() && j - 1 <= last; j++) {
            fwt += m.get(j - 1, j) - b[j];
            terms++;
        }
        fwt = terms == 0 || m.joint() ? Double.NaN : fwt / terms;
        return new ContinualMetrics(acc, forgetting, bwt, fwt);
    }
}
