package io.graft.plugin.er;

/** How the buffer decides which incoming samples to keep. */
enum Selection {
    /** Reservoir sampling: every sample of the stream is kept with the same probability, capacity / seen. */
    RESERVOIR,
    /**
     * Class-balanced reservoir sampling: an equal share of the capacity (±1) for every class seen so far, and
     * within a class a uniform sample of that class's stream. Configured as {@code class_balanced}.
     */
    CLASS_BALANCED;

    /**
     * @param capacity how many samples the memory holds
     * @return an empty memory that selects this way
     */
    ReplayBuffer newBuffer(int capacity) {
        return switch (this) {
            case RESERVOIR -> new ReservoirBuffer(capacity);
            case CLASS_BALANCED -> new ClassBalancedBuffer(capacity);
        };
    }
}
