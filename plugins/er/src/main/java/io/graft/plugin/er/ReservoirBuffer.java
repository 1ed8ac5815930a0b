package io.graft.plugin.er;

import java.util.Random;

/**
 * A replay memory filled by reservoir sampling (Vitter's algorithm R): after {@code seen} samples have been
 * offered, each of them is in the memory with probability {@code capacity / seen} (1 while the memory is not
 * full). Labels play no part, so the incoming labels are not needed to decide.
 */
final class ReservoirBuffer extends ReplayBuffer {

    /**
     * @param capacity how many samples the memory holds
     */
    ReservoirBuffer(int capacity) {
        super(capacity);
    }

    @Override
    int[] offer(int n, long[] labels, Random random) {
        return admit(n, random);
    }

    @Override
    boolean needsLabels() {
        return false;
    }

    /**
     * Offers {@code n} new samples of the stream and decides where each one goes.
     *
     * @param n how many samples arrive, in stream order
     * @param random the random source
     * @return for each sample the slot it overwrites, or {@code -1} when it is not kept; when two samples of
     *     the same offer get the same slot, the later one must win (store them in order)
     */
    int[] admit(int n, Random random) {
        return reservoir(n, random);
    }

}
