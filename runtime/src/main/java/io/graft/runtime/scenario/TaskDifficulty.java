package io.graft.runtime.scenario;

import java.util.Arrays;

/**
 * The measured difficulty of one task on its own, before any training: the test error of a nearest-class-mean
 * classifier on the task's (transformed) pixels. The class means are the averages of the task's training
 * images per class; a test image is assigned the class whose mean is nearest in Euclidean distance, among
 * the task's classes only (ties: the class listed first). The error is the fraction of the task's test images
 * assigned a wrong class, in {@code [0, 1]}.
 *
 * <p>Why this measure: it has no randomness and no hyperparameter (so it is a pure function of the data and
 * the task), it costs one pass over the training and one over the test samples (about 0.1 s per 10-class
 * Fashion-MNIST task on one core), and it ranks tasks by how separable their classes are in pixel space,
 * which is what a small network trained on them sees first. It is invariant to pixel permutations: every
 * task of a permuted scenario measures the same, so ordering them by difficulty keeps the dealt order.
 */
public final class TaskDifficulty {

    /** A one-line description of the measure, for reports. */
    public static final String MEASURE = "nearest-class-mean test error on pixels, each task alone";

    private TaskDifficulty() {}

    /**
     * @param train the training images
     * @param trainSamples the task's training samples (indices into {@code train})
     * @param test the test images
     * @param testSamples the task's test samples (indices into {@code test})
     * @param classes the task's classes
     * @param map the task's input transform, or {@code null} for none
     * @return the test error in {@code [0, 1]}; {@code NaN} when the task has no test samples
     */
    public static double nearestClassMeanError(ImageSet train, int[] trainSamples, ImageSet test, int[] testSamples,
                                               int[] classes, SamplingMap map) {
        int f = train.featureSize();
        int k = classes.length;
        int[] slot = new int[256];
        Arrays.fill(slot, -1);
        for (int i = 0; i < k; i++) {
            if (slot[classes[i]] < 0) {
                slot[classes[i]] = i;
            }
        }
        double[][] sums = new double[k][f];
        long[] counts = new long[k];
        float[] row = new float[f];
        float[] pixels = train.pixels();
        int[] labels = train.labels();
        for (int s : trainSamples) {
            int c = slot[labels[s]];
            if (c < 0) {
                continue;
            }
            float[] x = transformed(pixels, s * f, map, row);
            int base = x == pixels ? s * f : 0;
            double[] sum = sums[c];
            for (int j = 0; j < f; j++) {
                sum[j] += x[base + j];
            }
            counts[c]++;
        }
        double[][] means = new double[k][];
        double[] norms = new double[k];
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                continue; // a class without training samples is never predicted
            }
            double[] m = new double[f];
            double norm = 0;
            for (int j = 0; j < f; j++) {
                m[j] = sums[c][j] / counts[c];
                norm += m[j] * m[j];
            }
            means[c] = m;
            norms[c] = norm;
        }
        if (testSamples.length == 0) {
            return Double.NaN;
        }
        float[] testPixels = test.pixels();
        int[] testLabels = test.labels();
        long wrong = 0;
        for (int s : testSamples) {
            float[] x = transformed(testPixels, s * f, map, row);
            int base = x == testPixels ? s * f : 0;
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[] m = means[c];
                if (m == null) {
                    continue;
                }
                double dot = 0;
                for (int j = 0; j < f; j++) {
                    dot += x[base + j] * m[j];
                }
                // ||x - m||^2 without the ||x||^2 every class shares
                double score = norms[c] - 2 * dot;
                if (score < bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            if (best < 0 || classes[best] != testLabels[s]) {
                wrong++;
            }
        }
        return (double) wrong / testSamples.length;
    }

    private static float[] transformed(float[] pixels, int offset, SamplingMap map, float[] row) {
        if (map == null) {
            return pixels;
        }
        map.apply(pixels, offset, row);
        return row;
    }
}
