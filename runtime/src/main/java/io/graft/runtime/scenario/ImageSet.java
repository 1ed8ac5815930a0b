package io.graft.runtime.scenario;

import java.util.Arrays;
import java.util.Objects;

/**
 * Images with their labels, held in flat arrays for fast batch assembly: sample {@code i} occupies
 * {@code pixels[i * featureSize() .. (i + 1) * featureSize())}, values scaled to {@code [0, 1]}.
 *
 * <p>The arrays are shared, not copied: callers must not change them.
 */
public final class ImageSet {

    private final float[] pixels;
    private final int[] labels;
    private final int rows;
    private final int cols;
    private final int[] classes;

    /**
     * @param pixels {@code labels.length * rows * cols} values in {@code [0, 1]}, sample after sample
     * @param labels one class label per sample, {@code >= 0}
     * @param rows image height
     * @param cols image width
     * @throws IllegalArgumentException if the sizes disagree or a label is negative
     */
    public ImageSet(float[] pixels, int[] labels, int rows, int cols) {
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + rows + "x" + cols);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels (" + pixels.length + ") != labels (" + labels.length
                    + ") x " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        boolean[] seen = new boolean[256];
        int distinct = 0;
        for (int label : labels) {
            if (label < 0 || label > 255) {
                throw new IllegalArgumentException("label out of range 0..255: " + label);
            }
            if (!seen[label]) {
                seen[label] = true;
                distinct++;
            }
        }
        int[] found = new int[distinct];
        for (int c = 0, k = 0; c < seen.length; c++) {
            if (seen[c]) {
                found[k++] = c;
            }
        }
        this.classes = found;
    }

    /** @return the number of samples */
    public int size() {
        return labels.length;
    }

    /** @return image height */
    public int rows() {
        return rows;
    }

    /** @return image width */
    public int cols() {
        return cols;
    }

    /** @return values per sample, {@code rows * cols} */
    public int featureSize() {
        return rows * cols;
    }

    /** @return the pixel array itself (not a copy; do not modify) */
    public float[] pixels() {
        return pixels;
    }

    /** @return the label array itself (not a copy; do not modify) */
    public int[] labels() {
        return labels;
    }

    /**
     * @param sample a sample index
     * @return its label
     */
    public int label(int sample) {
        return labels[sample];
    }

    /** @return the distinct labels present, ascending (a copy) */
    public int[] classes() {
        return classes.clone();
    }

    /** @return the largest label plus one, 0 when empty */
    public int labelBound() {
        return classes.length == 0 ? 0 : classes[classes.length - 1] + 1;
    }

    @Override
    public String toString() {
        return size() + " images of " + rows + "x" + cols + ", classes " + Arrays.toString(classes);
    }
}
