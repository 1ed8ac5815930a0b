package io.graft.runtime.scenario;

import java.util.Arrays;

/**
 * A fixed input transform of one task, precomputed as a sampling map: pixel {@code k} of the transformed
 * image is {@code sum over j < taps() of weight[k][j] * image[index[k][j]]}. A pixel permutation is a map
 * with one tap of weight 1 per pixel (a plain gather); a rotation with bilinear interpolation has four taps,
 * those that fall outside the image with weight 0 (zero fill). Applying a map costs {@code taps()}
 * multiply-adds per pixel, so batch assembly stays a gather.
 *
 * <p>Immutable.
 */
public final class SamplingMap {

    /** Coordinates this close to a whole number are taken as that number (exact multiples of 90°). */
    private static final double SNAP = 1e-9;

    private final int size;
    private final int taps;
    private final int[] index;
    private final float[] weight;

    private SamplingMap(int size, int taps, int[] index, float[] weight) {
        this.size = size;
        this.taps = taps;
        this.index = index;
        this.weight = weight;
    }

    /**
     * @param permutation pixel {@code k} of the result is pixel {@code permutation[k]} of the image; a
     *     permutation of {@code 0..length-1}
     * @return the map
     * @throws IllegalArgumentException if it is not a permutation
     */
    public static SamplingMap permutation(int[] permutation) {
        int n = permutation.length;
        boolean[] seen = new boolean[n];
        for (int p : permutation) {
            if (p < 0 || p >= n || seen[p]) {
                throw new IllegalArgumentException("not a permutation of 0.." + (n - 1) + ": " + p);
            }
            seen[p] = true;
        }
        return new SamplingMap(n, 1, permutation.clone(), null);
    }

    /**
     * The rotation of a {@code rows x cols} image by {@code degrees} counter-clockwise as the image is
     * displayed (row 0 at the top) about its centre {@code ((rows-1)/2, (cols-1)/2)}, with bilinear
     * interpolation and zero fill outside the image. 90° maps pixel {@code (r, c)} of the result to pixel
     * {@code (c, cols-1-r)} of a square image: the transpose flipped upside down.
     *
     * @param rows image height
     * @param cols image width
     * @param degrees the angle, any finite number
     * @return the map; a single-tap gather when every pixel falls exactly on one pixel of the image
     * @throws IllegalArgumentException for a non-finite angle or an empty image
     */
    public static SamplingMap rotation(int rows, int cols, double degrees) {
        if (!Double.isFinite(degrees)) {
            throw new IllegalArgumentException("angle must be finite: " + degrees);
        }
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + rows + "x" + cols);
        }
        double radians = Math.toRadians(degrees % 360.0);
        double cos = snap(Math.cos(radians));
        double sin = snap(Math.sin(radians));
        double cy = (rows - 1) / 2.0;
        double cx = (cols - 1) / 2.0;
        int n = rows * cols;
        int[] index = new int[n * 4];
        float[] weight = new float[n * 4];
        boolean gather = true;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // output point (x right, y up) rotated back by -angle gives the source point
                double x = c - cx;
                double y = cy - r;
                double xs = x * cos + y * sin;
                double ys = -x * sin + y * cos;
                double sr = snap(cy - ys);
                double sc = snap(cx + xs);
                int r0 = (int) Math.floor(sr);
                int c0 = (int) Math.floor(sc);
                double fr = sr - r0;
                double fc = sc - c0;
                int k = (r * cols + c) * 4;
                tap(index, weight, k, rows, cols, r0, c0, (1 - fr) * (1 - fc));
                tap(index, weight, k + 1, rows, cols, r0, c0 + 1, (1 - fr) * fc);
                tap(index, weight, k + 2, rows, cols, r0 + 1, c0, fr * (1 - fc));
                tap(index, weight, k + 3, rows, cols, r0 + 1, c0 + 1, fr * fc);
                if (!(weight[k] == 1f && weight[k + 1] == 0f && weight[k + 2] == 0f && weight[k + 3] == 0f)) {
                    gather = false;
                }
            }
        }
        if (gather) {
            int[] single = new int[n];
            for (int k = 0; k < n; k++) {
                single[k] = index[k * 4];
            }
            return new SamplingMap(n, 1, single, null);
        }
        return new SamplingMap(n, 4, index, weight);
    }

    private static void tap(int[] index, float[] weight, int k, int rows, int cols, int r, int c, double w) {
        if (r < 0 || r >= rows || c < 0 || c >= cols || w == 0) {
            index[k] = 0;
            weight[k] = 0f;
        } else {
            index[k] = r * cols + c;
            weight[k] = (float) w;
        }
    }

    private static double snap(double v) {
        double rounded = Math.rint(v);
        return Math.abs(v - rounded) < SNAP ? rounded : v;
    }

    /** @return pixels per image */
    public int size() {
        return size;
    }

    /** @return taps per pixel: 1 for a gather, 4 for a bilinear map */
    public int taps() {
        return taps;
    }

    /** @return whether the map returns every image unchanged */
    public boolean isIdentity() {
        if (taps != 1) {
            return false;
        }
        for (int k = 0; k < size; k++) {
            if (index[k] != k) {
                return false;
            }
        }
        return true;
    }

    /** @return the permutation (a copy) when the map is a single-tap gather of every pixel once, else null */
    public int[] permutation() {
        if (taps != 1) {
            return null;
        }
        boolean[] seen = new boolean[size];
        for (int i : index) {
            if (seen[i]) {
                return null;
            }
            seen[i] = true;
        }
        return index.clone();
    }

    /**
     * Transforms one image.
     *
     * @param pixels flat pixels of many images
     * @param offset where the image starts in {@code pixels}
     * @param out receives the {@link #size()} transformed pixels from index 0
     */
    public void apply(float[] pixels, int offset, float[] out) {
        int[] ix = index;
        if (taps == 1) {
            for (int k = 0; k < size; k++) {
                out[k] = pixels[offset + ix[k]];
            }
            return;
        }
        float[] w = weight;
        for (int k = 0, j = 0; k < size; k++, j += 4) {
            out[k] = w[j] * pixels[offset + ix[j]] + w[j + 1] * pixels[offset + ix[j + 1]]
                    + w[j + 2] * pixels[offset + ix[j + 2]] + w[j + 3] * pixels[offset + ix[j + 3]];
        }
    }

    /**
     * @param image one image of {@link #size()} pixels
     * @return the transformed image (a new array)
     */
    public float[] apply(float[] image) {
        if (image.length != size) {
            throw new IllegalArgumentException("image has " + image.length + " pixels, the map " + size);
        }
        float[] out = new float[size];
        apply(image, 0, out);
        return out;
    }

    @Override
    public String toString() {
        return "SamplingMap[" + size + " pixels, " + taps + (taps == 1 ? " tap" : " taps") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingMap m && m.size == size && m.taps == taps && Arrays.equals(m.index, index)
                && Arrays.equals(m.weight, weight);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(index) + Arrays.hashCode(weight);
    }
}
