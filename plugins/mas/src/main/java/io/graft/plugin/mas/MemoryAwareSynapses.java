package io.graft.plugin.mas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Parameter;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.ImportanceAnchors;
import io.graft.plugin.support.RunState;
import io.graft.plugin.support.Tensors;
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
    /** Ω, summed over the finished tasks, and θ*, the parameters at the end of the latest task. */
    private final ImportanceAnchors anchors = new ImportanceAnchors();
    private final RunState run = new RunState();
    private long consolidated;

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
        NDManager state = run.manager();
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
            NDArray sum = anchors.importance(p.name());
            if (Tensors.sameShape(sum, theta)) {
                sum.addi(omega);
                omega.close();
            } else {
                anchors.putImportance(p.name(), omega); // new, or reshaped since: start afresh
            }
            anchors.anchorAt(p, state);
        }
        fresh.values().forEach(NDArray::close);
        consolidated++;
        Tensors.recordStatistics(run.metrics(), "importance", anchors.importance().values());
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (anchors.isEmpty() || settings.lambda() == 0.0) {
            return null;
        }
        NDArray penalty = anchors.penalty(step.model(), step.stepManager(), settings.lambda());
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

    /** @return how many tasks have been consolidated */
    long consolidated() {
        return consolidated;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("consolidated", consolidated);
        anchors.save(out);
    }

    @Override
    public void restoreState(StateReader in) {
        clear();
        NDManager target = run.restoreTarget();
        consolidated = in.getLong("consolidated");
        anchors.load(in, target);
    }

    @Override
    public void close() {
        clear();
        run.close();
    }

    private void start(RunContext context) {
        run.start(context, anchors::moveTo);
    }

    private void clear() {
        anchors.clear();
        consolidated = 0;
    }
}
