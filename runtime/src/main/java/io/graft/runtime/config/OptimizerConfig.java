package io.graft.runtime.config;

/**
 * Graft's own SGD, whose state (momentum) is exportable for checkpoints and survives growth.
 *
 * @param type {@code sgd}
 * @param lr learning rate (default 0.03)
 * @param momentum momentum (default 0)
 * @param schedule the learning rate over each task's steps: {@code constant} (default) or {@code cosine} (from
 *     {@code lr} down to 0 along half a cosine, anew for every task)
 */
public record OptimizerConfig(String type, Double lr, Double momentum, String schedule) {

    /** {@code schedule} of a constant learning rate. */
    public static final String CONSTANT = "constant";
    /** {@code schedule} of a cosine decay over each task. */
    public static final String COSINE = "cosine";

    /** Fills in defaults. */
    public OptimizerConfig {
        type = type == null ? "sgd" : type;
        lr = lr == null ? 0.03 : lr;
        momentum = momentum == null ? 0.0 : momentum;
        schedule = schedule == null ? CONSTANT : schedule.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * An optimizer with a constant learning rate.
     *
     * @param type {@code sgd}
     * @param lr learning rate
     * @param momentum momentum
     */
    public OptimizerConfig(String type, Double lr, Double momentum) {
        this(type, lr, momentum, null);
    }
}
