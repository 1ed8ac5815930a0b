package io.graft.runtime.metrics;

import java.util.Arrays;

/**
 * The accuracy matrix of a continual-learning run under one protocol: {@code A[i][j]} is the accuracy on
 * task {@code j}'s test set after training task {@code i}, and {@code b[j]} the accuracy of the untrained
 * model on task {@code j} (the baseline for forward transfer). Accuracies are fractions in {@code [0, 1]}.
 *
 * <p>A run that stopped early has fewer rows than tasks; {@link #trainedTasks()} says how many.
 * Immutable.
 */
public final class AccuracyMatrix {

    private final double[] baseline;
    private final double[][] rows;
    private final boolean joint;

    /**
     * @param baseline {@code b[j]}, one entry per task
     * @param rows {@code A[i][j]} for the tasks trained so far, each row one entry per task
     * @throws IllegalArgumentException if a row's length differs from the baseline's or there are more rows
     *     than tasks
     */
    public AccuracyMatrix(double[] baseline, double[][] rows) {
        this(baseline, rows, false);
    }

    private AccuracyMatrix(double[] baseline, double[][] rows, boolean joint) {
        this.joint = joint;
        this.baseline = baseline.clone();
        if (rows.length > baseline.length) {
            throw new IllegalArgumentException(rows.length + " rows for " + baseline.length + " tasks");
        }
        this.rows = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != baseline.length) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries, expected "
                        + baseline.length);
            }
            this.rows[i] = rows[i].clone();
        }
    }

    /** @return the number of tasks of the scenario (columns) */
    public int tasks() {
        return baseline.length;
    }

    /** @return the number of tasks trained so far (rows) */
    public int trainedTasks() {
        return rows.length;
    }

    /**
     * The matrix of the joint upper bound ({@code train.regime: joint}): one model trained on every task at
     * once, so a single row, measured after all of them.
     *
     * @param baseline {@code b[j]}
     * @param row the accuracy on every task after joint training
     * @return a complete one-row matrix
     */
    public static AccuracyMatrix joint(double[] baseline, double[] row) {
        return new AccuracyMatrix(baseline, new double[][] {row}, true);
    }

    /** @return whether this is the one-row matrix of joint training */
    public boolean joint() {
        return joint;
    }

    /** @return whether every task has been trained */
    public boolean complete() {
        return joint || rows.length == baseline.length;
    }

    /**
     * @param afterTask {@code i}, the task just trained
     * @param task {@code j}, the task evaluated
     * @return {@code A[i][j]}
     */
    public double get(int afterTask, int task) {
        return rows[afterTask][task];
    }

    /**
     * @param afterTask a trained task
     * @return row {@code i} (a copy)
     */
    public double[] row(int afterTask) {
        return rows[afterTask].clone();
    }

    /** @return every row (a copy) */
    public double[][] rows() {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    /** @return the untrained model's accuracies {@code b[j]} (a copy) */
    public double[] baseline() {
        return baseline.clone();
    }

    /**
     * @param afterTask a trained task
     * @param accuracies the accuracies on every task after it
     * @return a matrix with that row appended
     * @throws IllegalArgumentException if {@code afterTask} is not the next row
     */
    public AccuracyMatrix withRow(int afterTask, double[] accuracies) {
        if (joint) {
            throw new IllegalStateException("the matrix of joint training has its only row already");
        }
        if (afterTask != rows.length) {
            throw new IllegalArgumentException("next row is " + rows.length + ", got " + afterTask);
        }
        double[][] next = Arrays.copyOf(rows, rows.length + 1);
        next[rows.length] = accuracies;
        return new AccuracyMatrix(baseline, next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccuracyMatrix m && joint == m.joint && Arrays.equals(baseline, m.baseline)
                && Arrays.deepEquals(rows, m.rows);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(baseline) + Arrays.deepHashCode(rows);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("b   ").append(format(baseline));
        for (int i = 0; i < rows.length; i++) {
            sb.append('\n').append(String.format("%-4d", i)).append(format(rows[i]));
        }
        return sb.toString();
    }

    private static String format(double[] row) {
        StringBuilder sb = new StringBuilder();
        for (double v : row) {
            sb.append(String.format(" %.4f", v));
        }
        return sb.toString();
    }
}
