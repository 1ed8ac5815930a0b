package io.graft.plugin.hat;

/**
 * How the head {@code out} is protected. Its rows of earlier tasks' classes are frozen in both cases (with one head
 * per task only the current task's rows get gradient anyway; freezing them keeps that exact).
 */
enum HeadClipping {
    /** Only the rows of earlier tasks' classes: the current task's head may read every unit of the last hidden layer. */
    ROWS,
    /**
     * Also the columns of the last hidden layer's units that earlier tasks use, like a layer whose output side
     * has no gate: the current task's head cannot change how it reads them.
     */
    UNITS
}
