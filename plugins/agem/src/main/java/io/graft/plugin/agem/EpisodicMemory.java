package io.graft.plugin.agem;

import io.graft.plugin.support.TaskSlicedMemory;

/**
 * The samples A-GEM remembers of finished tasks: a {@link TaskSlicedMemory} whose capacity the finished tasks
 * share equally.
 */
final class EpisodicMemory extends TaskSlicedMemory {

    /**
     * @param capacity how many samples the memory holds over all tasks
     */
    EpisodicMemory(int capacity) {
        super(capacity);
    }
}
