package io.graft.plugin.pruning;

/** Over which weights a sparsity target is counted and the weakest entries ranked. */
public enum Scope {
    /** every pruned weight matrix reaches the sparsity on its own */
    LAYER,
    /** one ranking over every pruned weight: layers end at whatever sparsity their weights earn */
    GLOBAL
}
