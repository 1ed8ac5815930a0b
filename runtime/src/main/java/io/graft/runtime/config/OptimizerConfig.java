package io.graft.runtime.config;

/**
 * Graft's own SGD, whose state (momentum) is exportable for checkpoints and survives growth.
 *
 * @param type {@code sgd}
 * @param lr learning rate (default 0.03)
 * @param momentum momentum (default 0)
 */
public record OptimizerConfig(String type, Double lr, Double momentum) {

    /** Fills in defaults. */
    public OptimizerConfig {
        type = type == null ? "sgd" : type;
        lr = lr == null ? 0.03 : lr;
        momentum = momentum == null ? 0.0 : momentum;
    }
}
