package io.graft.runtime.config;

/**
 * Optimisation settings.
 *
 * @param epochs passes over each task's training data (default 1)
 * @param batchSize samples per step (default 32)
 * @param evalBatchSize samples per forward pass during evaluation (default 1000)
 * @param logEvery write a step metric line every this many steps (default 50)
 * @param optimizer the optimizer
 */
public record TrainConfig(Integer epochs, Integer batchSize, Integer evalBatchSize, Integer logEvery,
                          OptimizerConfig optimizer) {

    /** Fills in defaults. */
    public TrainConfig {
        epochs = epochs == null ? 1 : epochs;
        batchSize = batchSize == null ? 32 : batchSize;
        evalBatchSize = evalBatchSize == null ? 1000 : evalBatchSize;
        logEvery = logEvery == null ? 50 : logEvery;
        optimizer = optimizer == null ? new OptimizerConfig(null, null, null) : optimizer;
    }
}
