package io.graft.plugin.er;

/** How the buffer decides which incoming samples to keep. */
enum Selection {
    /** Reservoir sampling: every sample of the stream is kept with the same probability, capacity / seen. */
    RESERVOIR,
    /**
     * Class-balanced reservoir sampling: an equal share of the capacity (±1) for every class seen so far, and
     * within a class a uniform sample of that class's stream. Configured as {@code class_balanced}.
     */
    CLASS_BALANCED,
    /**
     * iCaRL's herding (Rebuffi et al., 2017): at each task end, every class of the finished task gets its share
     * of an even split of the capacity across the classes seen so far, filled with the samples whose running
     * feature mean stays closest to the class mean; older classes drop their last-chosen exemplars. The features
     * are the model's L2-normalised logits at task end (the api gives a plugin no hidden-layer view). Nothing is
     * kept during a task.
     */
    HERDING;

    /**
     * @param capacity how many samples the memory holds
     * @return an empty memory that selects this way
     */
    ReplayBuffer newBuffer(int capacity) {
        return switch (this) {
            case RESERVOIR -> new ReservoirBuffer(capacity);
            case CLASS_BALANCED -> new ClassBalancedBuffer(capacity);
            case HERDING -> new HerdingBuffer(capacity);
        };
    }
}
