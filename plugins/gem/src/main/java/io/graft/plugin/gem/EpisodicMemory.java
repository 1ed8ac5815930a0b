package io.graft.plugin.gem;

import io.graft.plugin.support.TaskSlicedMemory;

/**
 * The samples GEM remembers, one slice per finished task: an unbounded {@link TaskSlicedMemory}. Unlike A-GEM's
 * shared buffer, every task keeps its own slice for the whole run, since GEM needs one gradient (one constraint)
 * per earlier task.
 */
final class EpisodicMemory extends TaskSlicedMemory {}
