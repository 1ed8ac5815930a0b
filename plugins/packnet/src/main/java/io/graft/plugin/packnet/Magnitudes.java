package io.graft.plugin.packnet;

import java.util.Arrays;

/** Picks the entries of largest magnitude among candidates, exactly {@code keep} of them. */
final class Magnitudes {

    private Magnitudes() {}

    /**
     * The {@code keep} candidates whose values are largest in magnitude; ties go to the lower index, so the
     * choice is exact and repeatable (a threshold would keep every tied entry).
     *
     * @param values the parameter's values, flattened, or {@code null} to rank every candidate equal
     * @param candidates indices into {@code values}, ascending
     * @param keep how many to keep, at most {@code candidates.length}
     * @return the kept indices, ascending
     */
    static int[] largest(float[] values, int[] candidates, int keep) {
        if (keep >= candidates.length) {
            return candidates.clone();
        }
        if (keep <= 0) {
            return new int[0];
        }
        // one primitive sort: the magnitude's bits (ordered like the value for non-negative floats) above the
        // complemented index, so that ascending order ends with the largest magnitudes, lower index first
        long[] keys = new long[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            int at = candidates[i];
            float magnitude = values == null ? 0f : Math.abs(values[at]);
            if (Float.isNaN(magnitude)) {
                magnitude = 0f;
            }
            keys[i] = ((long) Float.floatToIntBits(magnitude) << 32) | (0xFFFFFFFFL - at);
        }
        Arrays.sort(keys);
        int[] kept = new int[keep];
        for (int i = 0; i < keep; i++) {
            kept[i] = (int) (0xFFFFFFFFL - (keys[keys.length - 1 - i] & 0xFFFFFFFFL));
        }
        Arrays.sort(kept);
        return kept;
    }
}
