package io.graft.api;

/**
 * An evaluation protocol of continual learning: what the model is told at test time.
 */
public enum Protocol {
    /** Class-incremental: one head over every class seen, no task label at test time. */
    CLASS_IL("class_il"),
    /** Task-incremental: the task label is given; prediction is restricted to that task's classes. */
    TASK_IL("task_il"),
    /** Domain-incremental: the same classes in every task, the input distribution shifts. */
    DOMAIN_IL("domain_il");

    private final String key;

    Protocol(String key) {
        this.key = key;
    }

    /**
     * The name used in configs and outputs ({@code class_il}, {@code task_il}, {@code domain_il}).
     *
     * @return the key
     */
    public String key() {
        return key;
    }
}
