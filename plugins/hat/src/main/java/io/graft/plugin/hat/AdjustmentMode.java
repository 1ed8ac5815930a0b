package io.graft.plugin.hat;

/**
 * How AdaHAT scales the gradient of a parameter by {@code r/(m + r)} (Wang et al. 2024, Eqs. 8 and 9), with
 * {@code r = α/(ε + sparsity)} per layer.
 */
enum AdjustmentMode {
    /** {@code m} is the parameter's importance from the summative mask; {@code sparsity} the layer's network sparsity. */
    ADAHAT,
    /** Ablation without parameter importance: {@code m} is the task's number counted from 1, for every parameter. */
    ADAHAT_NO_SUM,
    /** Ablation without network sparsity in the rate: {@code r = α/ε}. */
    ADAHAT_NO_REG
}
