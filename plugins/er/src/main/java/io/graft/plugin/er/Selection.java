package io.graft.plugin.er;

/** How the buffer decides which incoming samples to keep. */
enum Selection {
    /** Reservoir sampling: every sample of the stream is kept with the same probability, capacity / seen. */
    RESERVOIR
}
