/**
 * Checkpoints: everything a run needs to go on exactly where it stopped (parameters and the host's shape,
 * optimizer state, pruning masks, every plugin's state, seeds, random number generators, the accuracy matrices and
 * the metrics so far), written atomically, and read back by {@code graft resume}.
 */
package io.graft.runtime.checkpoint;
