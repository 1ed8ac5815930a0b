package io.graft.plugin.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import java.util.function.Consumer;

/**
 * The manager bookkeeping of a plugin that keeps arrays across steps: its state lives in a sub-manager of the
 * run manager, created at the first hook of the run; state restored before the run started is held in a
 * temporary base manager ("pending") and handed over to the state manager when the run starts. Also holds the
 * run's {@link MetricSink}.
 */
public final class RunState implements AutoCloseable {

    private NDManager state;
    private NDManager pending;
    private MetricSink metrics;

    /**
     * Called by every hook: remembers the run's metric sink and, the first time, creates the state manager and
     * hands over whatever was restored before the run started.
     *
     * @param run the run (or task, or step) context
     * @param adopt moves the plugin's pending arrays to the new state manager (called only if there are any)
     * @return whether the state manager was created by this call
     */
    public boolean start(RunContext run, Consumer<NDManager> adopt) {
        if (metrics == null) {
            metrics = run.metrics();
        }
        if (state != null) {
            return false;
        }
        state = run.manager().newSubManager();
        if (pending != null) {
            adopt.accept(state);
            pending.close();
            pending = null;
        }
        return true;
    }

    /**
     * Where restored arrays go: the state manager once the run has started, otherwise a fresh pending manager
     * (closing the one of an earlier restore, so clear the arrays it held first).
     *
     * @return the owner for the restored arrays
     */
    public NDManager restoreTarget() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
        if (state != null) {
            return state;
        }
        // restored before the run started: hold the arrays until the first hook names the run manager
        pending = NDManager.newBaseManager();
        return pending;
    }

    /** @return the manager that owns the plugin's state, or {@code null} before the run has started */
    public NDManager manager() {
        return state;
    }

    /** @return where to record measurements, or {@code null} before the first hook */
    public MetricSink metrics() {
        return metrics;
    }

    /**
     * Records a penalty's value as {@code "penalty"} every {@code every} steps (reading it back costs a device
     * sync).
     *
     * @param step the step
     * @param penalty the penalty built for the step, or {@code null} (nothing recorded)
     * @param every steps between two recordings
     */
    public void recordPenalty(StepContext step, NDArray penalty, int every) {
        if (penalty != null && metrics != null && step.step() % every == 0) {
            NDArray value = penalty.stopGradient();
            value.attach(step.stepManager());
            metrics.record("penalty", value.getFloat());
        }
    }

    /** Closes the state manager and any pending one; the plugin clears its own maps first. */
    @Override
    public void close() {
        if (state != null) {
            state.close();
            state = null;
        }
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }
}
