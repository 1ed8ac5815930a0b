package io.graft.plugin.er;

import io.graft.plugin.support.SampleStore;
import java.util.Random;

/**
 * A fixed-capacity memory of samples; subclasses decide which incoming samples it keeps ({@link #offer}).
 * Samples are stored on the host ({@link SampleStore}) as flat {@code float} rows with their label and task, so
 * that neither the buffer nor a replayed batch ever holds device memory between steps.
 */
abstract class ReplayBuffer extends SampleStore {

    /** Positions {@code [0, filled)} are always a permutation of {@code [0, filled)}: the pool for draws. */
    private final int[] pool;

    /**
     * @param capacity how many samples the memory holds
     */
    ReplayBuffer(int capacity) {
        super(capacity);
        this.pool = new int[capacity];
        resetPool();
    }

    /**
     * Offers {@code n} new samples of the stream and decides where each one goes.
     *
     * @param n how many samples arrive, in stream order
     * @param labels their labels, or {@code null} when {@link #needsLabels()} is false
     * @param random the random source
     * @return for each sample the slot it overwrites, or {@code -1} when it is not kept; when two samples of
     *     the same offer get the same slot, the later one must win (store them in order)
     */
    abstract int[] offer(int n, long[] labels, Random random);

    /** @return whether {@link #offer} needs the labels of the incoming samples */
    abstract boolean needsLabels();

    /**
     * Draws {@code k} distinct slots uniformly among the filled ones (partial Fisher–Yates over the pool).
     *
     * @param k how many, at most {@link #filled()}
     * @param random the random source
     * @return the slots
     */
    int[] draw(int k, Random random) {
        int filled = filled();
        if (k > filled) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + filled + " samples");
        }
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(filled - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            out[i] = pool[i];
        }
        return out;
    }

    @Override
    public void restore(long[] shape, float[] savedFeatures, long[] savedLabels, long[] savedTasks,
            long savedSeen) {
        resetPool();
        super.restore(shape, savedFeatures, savedLabels, savedTasks, savedSeen);
        afterRestore();
    }

    /**
     * Saves the samples and the draw pool: the pool's order is where the partial shuffles of the draws so far left
     * it, so a buffer restored without it would draw other samples than the uninterrupted run.
     */
    @Override
    public void saveTo(io.graft.api.StateWriter out) {
        super.saveTo(out);
        out.putString("drawPool", java.util.Arrays.stream(pool).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",")));
    }

    @Override
    public void restoreFrom(io.graft.api.StateReader in) {
        super.restoreFrom(in);
        if (in.keys().contains("drawPool")) {
            String[] saved = in.getString("drawPool").split(",");
            if (saved.length == pool.length) {
                for (int i = 0; i < pool.length; i++) {
                    pool[i] = Integer.parseInt(saved[i]);
                }
            }
        }
    }

    /** Called at the end of {@link #restore}, once the samples are back; the subclass rebuilds its own state. */
    void afterRestore() {
    }

    private void resetPool() {
        for (int i = 0; i < pool.length; i++) {
            pool[i] = i;
        }
    }
}
