package io.graft.runtime.kernel;

import io.graft.api.Protocol;
import io.graft.api.model.TaskInfo;

/**
 * Receives the events of a run on the training thread, in the order of {@link TrainingKernel}'s hook
 * order. Every method does nothing unless overridden. A listener should be quick: {@link #onStep} is
 * called after every step and its time counts as training time.
 */
public interface KernelListener {

    /**
     * Before anything else, even the baseline evaluation.
     *
     * @param run what the run will do
     */
    default void onRunStart(RunInfo run) {}

    /**
     * When a task starts, before the plugins' {@code onTaskStart}.
     *
     * @param task the task
     */
    default void onTaskStart(TaskInfo task) {}

    /**
     * After every step, once the plugins' {@code afterStep} has run.
     *
     * @param step the step
     */
    default void onStep(StepReport step) {}

    /**
     * When a plugin records a metric through its {@link io.graft.api.train.MetricSink}.
     *
     * @param pluginId the plugin's id
     * @param name the metric's name as the plugin gave it (written as {@code <pluginId>.<name>})
     * @param value the value
     * @param step steps taken in the run when it was recorded (the step in progress during a step hook)
     */
    default void onPluginMetric(String pluginId, String name, double value, long step) {}

    /**
     * After an evaluation of the model on every task of the scenario under one protocol.
     *
     * @param afterTask the task just trained, or {@code -1} for the untrained model (the baseline)
     * @param protocol the protocol
     * @param accuracies accuracy on each task's test set, in {@code [0, 1]}, indexed by task
     */
    default void onEvaluation(int afterTask, Protocol protocol, double[] accuracies) {}

    /**
     * The network changed shape (a growth policy acted).
     *
     * @param event what changed
     */
    default void onGrowth(GrowthEvent event) {}

    /**
     * A slot's seed moved through its lifecycle.
     *
     * @param event the move
     */
    /**
     * A checkpoint is being written into {@code dir} (before it is committed): a listener may add its own files,
     * e.g. how many metric lines it has written.
     *
     * @param dir the checkpoint's folder
     */
    default void onCheckpoint(java.nio.file.Path dir) {}

    /**
     * A plugin failed and was dropped ({@code train.pluginFailure: quarantine}); the run goes on without it from its
     * last checkpoint.
     *
     * @param pluginId the plugin
     * @param reason its failure, in one line
     * @param resumedAt the step the run goes on from
     */
    default void onQuarantine(String pluginId, String reason, long resumedAt) {}

    /**
     * A running plugin was replaced by another version at a task boundary, or its jar disappeared.
     *
     * @param pluginId the plugin
     * @param from the version that ran
     * @param to the version that runs now ({@code from} when the jar is gone and the running instance goes on)
     * @param note what happened to its state, in words
     */
    default void onPluginSwap(String pluginId, String from, String to, String note) {}

    default void onSeed(SeedEvent event) {}

    /**
     * A blending seed's alpha for a step (every step while it blends).
     *
     * @param step the step
     * @param slot the slot's address
     * @param alpha the alpha in {@code [0, 1]}
     */
    default void onAlpha(long step, String slot, double alpha) {}

    /**
     * After a task's evaluation.
     *
     * @param task the task
     * @param seconds wall time of the task: training, consolidation, pruning and evaluation
     */
    default void onTaskEnd(TaskInfo task, double seconds) {}

    /**
     * After the last task, once plugins have been closed.
     *
     * @param result the run's result
     */
    default void onRunEnd(RunResult result) {}

    /**
     * When the run stops on an error, before the error reaches the caller; events so far were all
     * delivered. {@link #onRunEnd} is not called then.
     *
     * @param failure the error, usually a {@link io.graft.runtime.UserException} such as {@link PluginFailure}
     */
    default void onRunFailed(Throwable failure) {}
}
