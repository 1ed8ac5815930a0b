package io.graft.plugin.si;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.model.Parameter;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.ImportanceAnchors;
import io.graft.plugin.support.RunState;
import io.graft.plugin.support.Tensors;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synaptic Intelligence (Zenke, Poole and Ganguli, 2017).
 *
 * <p>During a task every weight's contribution to the decrease of the loss is integrated along the training
 * path: {@code ω ← ω − g·Δθ} per step, where {@code g} is the gradient of the loss <em>without</em> this
 * plugin's own penalty (recorded in {@link #transform}, before the optimizer step, which zeroes it; the
 * penalty's analytic gradient {@code 2c·Ω·(θ−θ*)} is taken off) and {@code Δθ} the change the optimizer
 * step made (seen in {@link #afterStep}). At the task's end the importance grows by
 * {@code ω / (Δ² + ξ)}, {@code Δ} being how far the weight moved over the whole task (negative
 * contributions dropped unless configured otherwise), {@code ω} is reset and the parameters become the
 * anchor θ*. Every later step adds {@code c · Σ Ω·(θ−θ*)²}.
 *
 * <p>Per step this costs one copy of each gradient and a handful of element-wise operations per parameter;
 * the previous parameters are kept in the run's state and overwritten in place. Arrays kept across steps
 * live in a sub-manager of the run manager, per-step ones in the step manager.
 */
final class SynapticIntelligence implements Regularizer, GradientTransform, Stateful {

    /** Steps between two recordings of the penalty's value (reading it back costs a device sync). */
    static final int METRIC_EVERY = 50;

    private final SiSettings settings;
    private final RunState run = new RunState();
    /** Ω, the consolidated importance, and θ*, the parameters at the end of the latest task. */
    private final ImportanceAnchors anchors = new ImportanceAnchors();
    /** ω, the path integral of the task in progress. */
    private final Map<String, NDArray> path = new LinkedHashMap<>();
    /** θ at the start of the task in progress. */
    private final Map<String, NDArray> start = new LinkedHashMap<>();
    /** θ after the latest optimizer step (overwritten in place). */
    private final Map<String, NDArray> previous = new LinkedHashMap<>();
    /** The step's task-loss gradients, recorded by transform; owned by the step manager. */
    private final Map<String, NDArray> stepGradients = new HashMap<>();
    private long gradientsStep = -1;
    private long consolidated;

    SynapticIntelligence(SiSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onRunStart(RunContext run) {
        start(run);
    }

    @Override
    public void onTaskStart(TaskContext task) {
        start(task);
        Tensors.clear(path);
        Tensors.clear(start);
        Tensors.clear(previous);
        for (Parameter p : task.model().parameters()) {
            track(p);
        }
    }

    @Override
    public void transform(StepContext step) {
        start(step);
        stepGradients.clear();
        gradientsStep = step.step();
        NDManager sm = step.stepManager();
        for (Parameter p : step.model().parameters()) {
            track(p);
            NDArray theta = p.array();
            NDArray g = p.gradient().duplicate();
            g.attach(sm);
            NDArray omega = anchors.importance(p.name());
            NDArray center = anchors.anchor(p.name());
            if (settings.c() != 0 && Tensors.sameShape(omega, theta) && Tensors.sameShape(center, theta)) {
                // take off the gradient of this plugin's own penalty: 2c·Ω·(θ − θ*)
                NDArray pull = theta.sub(center);
                pull.attach(sm);
                pull.muli(omega).muli((float) (2 * settings.c()));
                g.subi(pull);
            }
            stepGradients.put(p.name(), g);
        }
    }

    @Override
    public void afterStep(StepContext step) {
        if (stepGradients.isEmpty() || gradientsStep != step.step()) {
            stepGradients.clear();
            return;
        }
        NDManager sm = step.stepManager();
        for (Parameter p : step.model().parameters()) {
            NDArray g = stepGradients.get(p.name());
            NDArray before = previous.get(p.name());
            NDArray omega = path.get(p.name());
            NDArray theta = p.array();
            if (g == null || !Tensors.sameShape(before, theta) || !Tensors.sameShape(omega, theta)) {
                continue;
            }
            NDArray delta = theta.sub(before);
            delta.attach(sm);
            Tensors.assign(before, theta);
            omega.subi(delta.muli(g));
        }
        stepGradients.clear();
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        start(task);
        NDManager state = run.manager();
        long negative = 0;
        long total = 0;
        try (NDManager scratch = state.newSubManager()) {
            for (Parameter p : task.model().parameters()) {
                NDArray theta = p.array();
                NDArray omega = path.get(p.name());
                NDArray from = start.get(p.name());
                if (!Tensors.sameShape(omega, theta) || !Tensors.sameShape(from, theta)) {
                    continue;
                }
                NDArray moved = theta.sub(from);
                moved.attach(scratch);
                NDArray damped = moved.square().add((float) settings.xi());
                NDArray contribution = omega.div(damped);
                contribution.attach(scratch);
                if (settings.clampNegative()) {
                    NDArray below = contribution.lt(0f).sum();
                    below.attach(scratch);
                    negative += below.toType(DataType.INT64, false).getLong();
                    contribution = contribution.maximum(0f);
                    contribution.attach(scratch);
                }
                total += contribution.size();
                NDArray big = anchors.importance(p.name());
                if (Tensors.sameShape(big, theta)) {
                    big.addi(contribution);
                } else {
                    NDArray fresh = contribution.duplicate();
                    fresh.attach(state);
                    anchors.putImportance(p.name(), fresh);
                }
                anchors.anchorAt(p, state);
            }
        }
        consolidated++;
        Tensors.clear(path);
        Tensors.clear(start);
        Tensors.clear(previous);
        for (Parameter p : task.model().parameters()) {
            track(p);
        }
        recordImportance(negative, total);
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (anchors.isEmpty() || settings.c() == 0.0) {
            return null;
        }
        NDArray penalty = anchors.penalty(step.model(), step.stepManager(), settings.c());
        run.recordPenalty(step, penalty, METRIC_EVERY);
        return penalty;
    }

    /** @return Ω by parameter name (live arrays, read only) */
    Map<String, NDArray> importance() {
        return anchors.importance();
    }

    /** @return θ* by parameter name (live arrays, read only) */
    Map<String, NDArray> anchor() {
        return anchors.anchor();
    }

    /** @return ω of the task in progress by parameter name (live arrays, read only) */
    Map<String, NDArray> pathIntegral() {
        return Collections.unmodifiableMap(path);
    }

    /** @return how many tasks have been consolidated */
    long consolidated() {
        return consolidated;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("consolidated", consolidated);
        anchors.save(out);
        Tensors.save(out, "path.", path);
        Tensors.save(out, "start.", start);
    }

    @Override
    public void restoreState(StateReader in) {
        clearAll();
        NDManager target = run.restoreTarget();
        consolidated = in.getLong("consolidated");
        anchors.load(in, target);
        path.putAll(Tensors.load(in, "path.", target));
        start.putAll(Tensors.load(in, "start.", target));
        // the previous parameters are the current ones at a checkpoint: taken again at the next step
    }

    @Override
    public void close() {
        clearAll();
        run.close();
    }

    /** Makes sure a parameter has a path integral, a start and a previous value of its current shape. */
    private void track(Parameter p) {
        NDManager state = run.manager();
        NDArray theta = p.array();
        if (!Tensors.sameShape(path.get(p.name()), theta)) {
            Tensors.replace(path, p.name(), state.zeros(theta.getShape(), theta.getDataType()));
            Tensors.replace(start, p.name(), Tensors.copyOf(theta, state));
        }
        if (!Tensors.sameShape(start.get(p.name()), theta)) {
            Tensors.replace(start, p.name(), Tensors.copyOf(theta, state));
        }
        if (!Tensors.sameShape(previous.get(p.name()), theta)) {
            Tensors.replace(previous, p.name(), Tensors.copyOf(theta, state));
        }
    }

    private void start(RunContext context) {
        run.start(context, state -> {
            anchors.moveTo(state);
            Tensors.moveTo(path, state);
            Tensors.moveTo(start, state);
        });
    }

    private void clearAll() {
        stepGradients.clear();
        anchors.clear();
        for (Map<String, NDArray> m : List.of(path, start, previous)) {
            Tensors.clear(m);
        }
        consolidated = 0;
    }

    private void recordImportance(long negative, long total) {
        MetricSink metrics = run.metrics();
        if (metrics == null || anchors.importance().isEmpty()) {
            return;
        }
        Tensors.recordStatistics(metrics, "importance", anchors.importance().values());
        if (settings.clampNegative() && total > 0) {
            metrics.record("negative_share", (double) negative / total);
        }
    }
}
