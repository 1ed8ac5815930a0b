package io.graft.plugin.mas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Parameter;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory Aware Synapses (Aljundi et al., 2018), the global version: the importance of a weight is how
 * strongly the squared norm of the network's output reacts to it, {@code mean_x |∂‖f(x)‖²₂/∂θ|}, measured
 * at the end of each task on samples of that task with {@link io.graft.api.model.ModelView#gradients} (see
 * {@link ImportanceEstimator}). The importances of the tasks are <b>summed</b> ({@code Ω ← Ω + Ω_task}) and
 * the parameters at the end of the latest task become the one anchor θ*. Every later step adds
 * {@code λ · Σ Ω·(θ−θ*)²}.
 *
 * <p>State lives in a sub-manager of the run manager; the penalty is built in the step manager from the live
 * parameter arrays. Nothing runs per step besides the penalty.
 */
final class MemoryAwareSynapses implements Regularizer, Stateful {

    /** Steps between two recordings of the penalty's value (reading it back costs a device sync). */
    static final int METRIC_EVERY = 50;

    private final MasSettings settings;
    private final ImportanceEstimator estimator;
    /** Ω, summed over the finished tasks. */
    private final Map<String, NDArray> importance = new LinkedHashMap<>();
    /** θ*, the parameters at the end of the latest task. */
    private final Map<String, NDArray> anchor = new LinkedHashMap<>();
    private long consolidated;
    private NDManager state;
    private NDManager pending;
    private MetricSink metrics;

    MemoryAwareSynapses(MasSettings settings) {
        this.settings = settings;
        this.estimator = new ImportanceEstimator(settings.samples(), settings.batch());
    }

    @Override
    public void onRunStart(RunContext run) {
        start(run);
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        start(task);
        Map<String, NDArray> fresh = estimator.estimate(task.model(), task.data(), task.random(), state);
        for (Parameter p : task.model().parameters()) {
            NDArray theta = p.array();
            NDArray omega = fresh.remove(p.name());
            if (!Tensors.sameShape(omega, theta)) {
                if (omega != null) {
                    omega.close();
                }
                continue;
            }
            NDArray sum = importance.get(p.name());
            if (Tensors.sameShape(sum, theta)) {
                sum.addi(omega);
                omega.close();
            } else {
                Tensors.replace(importance, p.name(), omega); // new, or reshaped since: start afresh
            }
            Tensors.replace(anchor, p.name(), Tensors.copyOf(theta, state));
        }
        fresh.values().forEach(NDArray::close);
        consolidated++;
        recordImportance();
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (anchor.isEmpty() || settings.lambda() == 0.0) {
            return null;
        }
        NDManager sm = step.stepManager();
        NDArray sum = null;
        for (Parameter p : step.model().parameters()) {
            NDArray theta = p.array();
            NDArray omega = importance.get(p.name());
            NDArray center = anchor.get(p.name());
            if (!Tensors.sameShape(omega, theta) || !Tensors.sameShape(center, theta)) {
                continue;
            }
            NDArray diff = theta.sub(center);
            diff.attach(sm); // the result of an op lands in its first operand's (the model's) manager
            NDArray term = diff.square().mul(omega).sum();
            sum = sum == null ? term : sum.add(term);
        }
        if (sum == null) {
            return null;
        }
        // a float scalar: a Java double would promote the 0-d result (and the loss) to float64
        NDArray penalty = sum.mul((float) settings.lambda());
        if (metrics != null && step.step() % METRIC_EVERY == 0) {
            NDArray value = penalty.stopGradient();
            value.attach(sm);
            metrics.record("penalty", value.getFloat());
        }
        return penalty;
    }

    /** @return Ω by parameter name (live arrays, read only) */
    Map<String, NDArray> importance() {
        return Collections.unmodifiableMap(importance);
    }

    /** @return θ* by parameter name (live arrays, read only) */
    Map<String, NDArray> anchor() {
        return Collections.unmodifiableMap(anchor);
    }

    /** @return how many tasks have been consolidated */
    long consolidated() {
        return consolidated;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("consolidated", consolidated);
        Tensors.save(out, "importance.", importance);
        Tensors.save(out, "anchor.", anchor);
    }

    @Override
    public void restoreState(StateReader in) {
        clear();
        if (pending != null) {
            pending.close();
            pending = null;
        }
        NDManager target = state;
        if (target == null) {
            // restored before the run started: hold the arrays until onRunStart names the run manager
            pending = NDManager.newBaseManager();
            target = pending;
        }
        consolidated = in.getLong("consolidated");
        importance.putAll(Tensors.load(in, "importance.", target));
        anchor.putAll(Tensors.load(in, "anchor.", target));
    }

    @Override
    public void close() {
        clear();
        if (state != null) {
            state.close();
            state = null;
        }
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    private void start(RunContext run) {
        if (metrics == null) {
            metrics = run.metrics();
        }
        if (state != null) {
            return;
        }
        state = run.manager().newSubManager();
        if (pending != null) {
            for (Map<String, NDArray> m : List.of(importance, anchor)) {
                Tensors.moveTo(m, state);
            }
            pending.close();
            pending = null;
        }
    }

    private void clear() {
        Tensors.clear(importance);
        Tensors.clear(anchor);
        consolidated = 0;
    }

    private void recordImportance() {
        if (metrics == null || importance.isEmpty()) {
            return;
        }
        double sum = 0;
        double max = 0;
        long count = 0;
        for (NDArray omega : importance.values()) {
            if (omega.size() == 0) {
                continue;
            }
            try (NDArray s = omega.sum(); NDArray m = omega.max()) {
                sum += s.getFloat();
                max = Math.max(max, m.getFloat());
            }
            count += omega.size();
        }
        metrics.record("importance_mean", count == 0 ? 0 : sum / count);
        metrics.record("importance_max", max);
    }
}
