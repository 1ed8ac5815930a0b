package io.graft.api;

/** Something a plugin needs from the scenario; the host refuses a run that cannot provide it before training. */
public enum Requirement {
    /** The task label of each test sample must be known (multi-head or mask-per-task methods). */
    TASK_LABELS_AT_TEST,
    /** Task boundaries must be known during training (consolidation at task end). */
    TASK_BOUNDARIES,
    /**
     * One head per task ({@code model.heads: multi}): a sample's loss covers only the classes of its own task,
     * so learning a task never pushes down the logits of another (progressive networks, PackNet, HAT).
     *
     * @since api 1.1
     */
    MULTI_HEAD,
    /**
     * An optimizer without momentum ({@code train.optimizer.momentum: 0}): the plugin keeps weights fixed by
     * zeroing their gradients, and momentum left from earlier steps would still move them (PackNet,
     * progressive networks, HAT).
     *
     * @since api 1.1
     */
    NO_MOMENTUM
}
