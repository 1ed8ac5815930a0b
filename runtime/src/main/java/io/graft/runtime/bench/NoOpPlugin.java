package io.graft.runtime.bench;

import ai.djl.ndarray.NDArray;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.Batch;
import io.graft.api.model.Parameter;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.StepContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;

/**
 * A plugin on every hook that does nothing: it replays nothing, adds no penalty, leaves gradients, asks no mask and
 * never fires. {@code graft bench --noop 10} attaches ten of them to measure what the kernel's hook dispatch costs.
 */
final class NoOpPlugin implements Rehearsal, Regularizer, GradientTransform, TaskMask, TriggerCondition {

    @Override
    public Batch replay(StepContext step) {
        return null;
    }

    @Override
    public NDArray penalty(StepContext step) {
        return null;
    }

    @Override
    public void transform(StepContext step) {
        // nothing: the cost measured is the call
    }

    @Override
    public NDArray weightMask(Parameter parameter, MaskQuery query) {
        return null;
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        return false;
    }
}
