package io.graft.plugin.pruning;

import java.util.Arrays;

/** Keeps exactly the requested number of the highest-scoring entries among those still alive. */
final class Ranking {

    private Ranking() {}

    /**
     * The {@code keep} alive entries of largest score; equal scores go to the lower index, so the count is exact
     * and repeatable (a threshold would keep every tied entry). NaN counts as 0; the sign of a score is ignored.
     *
     * @param scores one score per entry
     * @param alive whether each entry may still be kept
     * @param keep how many to keep; all alive ones when there are fewer
     * @return for each entry whether it is kept
     */
    static boolean[] top(float[] scores, boolean[] alive, long keep) {
        int candidates = 0;
        for (boolean a : alive) {
            if (a) {
                candidates++;
            }
        }
        boolean[] kept = new boolean[scores.length];
        if (keep >= candidates) {
            System.arraycopy(alive, 0, kept, 0, alive.length);
            return kept;
        }
        // non-negative floats order like their bits; the complemented index below them breaks ties to the lower index
        long[] keys = new long[candidates];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (alive[i]) {
                float s = Math.abs(scores[i]);
                keys[n++] = ((long) Float.floatToIntBits(Float.isNaN(s) ? 0f : s) << 32) | (0xFFFFFFFFL - i);
            }
        }
        Arrays.sort(keys);
        for (int r = 0; r < keep; r++) {
            kept[(int) (0xFFFFFFFFL - (keys[candidates - 1 - r] & 0xFFFFFFFFL))] = true;
        }
        return kept;
    }
}
