package io.graft.runtime.config;

/**
 * Optimisation settings.
 *
 * @param epochs passes over each task's training data (default 1)
 * @param batchSize samples per step (default 32)
 * @param evalBatchSize samples per forward pass during evaluation (default 1000)
 * @param logEvery write a step metric line every this many steps (default 50)
 * @param optimizer the optimizer
 * @param regime {@code sequential} (default: the tasks one after another, the continual-learning setting) or
 *     {@code joint} (one model trained on every task's data at once, shuffled together: the upper bound a
 *     continual learner is measured against; evaluated once, at the end, on every task)
 * @param checkpoints whether a checkpoint is written at every task boundary (default true), for {@code graft resume}
 * @param checkpointEvery also write one every this many steps inside a task (default 0: task boundaries only)
 * @param pluginFailure what a plugin that throws or produces a non-finite loss or gradient does to the run:
 *     {@code stop} (default: the run stops with one line naming it) or {@code quarantine} (the plugin is dropped and
 *     the run goes on without it from its last checkpoint)
 * @param hookTimeout seconds a plugin hook may take before the run is stopped naming it (default 0: no limit)
 */
public record TrainConfig(Integer epochs, Integer batchSize, Integer evalBatchSize, Integer logEvery,
                          OptimizerConfig optimizer, String regime, Boolean checkpoints, Integer checkpointEvery,
                          String pluginFailure, Double hookTimeout) {

    /** {@code train.pluginFailure} that stops the run. */
    public static final String STOP = "stop";
    /** {@code train.pluginFailure} that drops the plugin and goes on. */
    public static final String QUARANTINE = "quarantine";

    /**
     * Training with checkpoints, stopping on a plugin's failure.
     *
     * @param epochs passes over each task's data
     * @param batchSize samples per step
     * @param evalBatchSize samples per evaluation pass
     * @param logEvery steps between step metric lines
     * @param optimizer the optimizer
     * @param regime {@code sequential} or {@code joint}
     * @param checkpoints whether checkpoints are written at task boundaries
     * @param checkpointEvery steps between checkpoints inside a task, 0 for none
     */
    public TrainConfig(Integer epochs, Integer batchSize, Integer evalBatchSize, Integer logEvery,
                       OptimizerConfig optimizer, String regime, Boolean checkpoints, Integer checkpointEvery) {
        this(epochs, batchSize, evalBatchSize, logEvery, optimizer, regime, checkpoints, checkpointEvery, null, null);
    }

    /** {@code train.regime} of continual learning. */
    public static final String SEQUENTIAL = "sequential";
    /** {@code train.regime} of the joint upper bound. */
    public static final String JOINT = "joint";

    /**
     * Sequential training.
     *
     * @param epochs passes over each task's data
     * @param batchSize samples per step
     * @param evalBatchSize samples per evaluation pass
     * @param logEvery steps between step metric lines
     * @param optimizer the optimizer
     */
    public TrainConfig(Integer epochs, Integer batchSize, Integer evalBatchSize, Integer logEvery,
                       OptimizerConfig optimizer) {
        this(epochs, batchSize, evalBatchSize, logEvery, optimizer, null);
    }

    /**
     * Training in a regime, with the default checkpoints.
     *
     * @param epochs passes over each task's data
     * @param batchSize samples per step
     * @param evalBatchSize samples per evaluation pass
     * @param logEvery steps between step metric lines
     * @param optimizer the optimizer
     * @param regime {@code sequential} or {@code joint}
     */
    public TrainConfig(Integer epochs, Integer batchSize, Integer evalBatchSize, Integer logEvery,
                       OptimizerConfig optimizer, String regime) {
        this(epochs, batchSize, evalBatchSize, logEvery, optimizer, regime, null, null, null, null);
    }

    /** @return true for the joint upper bound */
    public boolean joint() {
        return JOINT.equals(regime);
    }

    /** Fills in defaults. */
    public TrainConfig {
        epochs = epochs == null ? 1 : epochs;
        batchSize = batchSize == null ? 32 : batchSize;
        evalBatchSize = evalBatchSize == null ? 1000 : evalBatchSize;
        logEvery = logEvery == null ? 50 : logEvery;
        optimizer = optimizer == null ? new OptimizerConfig(null, null, null) : optimizer;
        regime = regime == null ? SEQUENTIAL : regime.trim().toLowerCase(java.util.Locale.ROOT);
        checkpoints = checkpoints == null || checkpoints;
        checkpointEvery = checkpointEvery == null ? 0 : checkpointEvery;
        pluginFailure = pluginFailure == null ? STOP : pluginFailure.trim().toLowerCase(java.util.Locale.ROOT);
        hookTimeout = hookTimeout == null ? 0.0 : hookTimeout;
    }
}
