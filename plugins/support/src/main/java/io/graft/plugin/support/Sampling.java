package io.graft.plugin.support;

import java.util.Arrays;
import java.util.Random;

/** Uniform sampling of indices. */
public final class Sampling {

    private Sampling() {}

    /**
     * Draws {@code k} distinct indices of {@code [0, n)} uniformly (a partial Fisher–Yates shuffle).
     *
     * @param n population size
     * @param k how many, at most {@code n}
     * @param random the random source
     * @return the indices, in draw order
     */
    public static int[] withoutReplacement(int n, int k, Random random) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + n);
        }
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return Arrays.copyOf(pool, k);
    }
}
