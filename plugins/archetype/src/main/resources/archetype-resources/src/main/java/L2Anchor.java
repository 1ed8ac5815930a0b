package ${package};

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import java.util.List;

/**
 * An L2 penalty towards the weights at the start of each task: from the second task on, every step adds
 * {@code λ/2 · Σ (θ − θ*)²} to the loss, θ* being the parameters as they were when the task started, i.e. what
 * the earlier tasks left. The simplest regularisation against forgetting: EWC is the same penalty with a weight
 * per parameter (its Fisher information) instead of one λ for all.
 *
 * <p>Hooks used: {@code onRunStart} (the manager that owns the anchors), {@code onTaskStart} (take the anchors),
 * {@code penalty} (every step). The anchors are the plugin's state: {@link Stateful} lets a checkpoint or a new
 * version of the plugin carry them over.
 */
final class L2Anchor implements Regularizer, Stateful {

    private final L2AnchorSettings settings;
    private NDManager state;
    private NDManager pending;
    private Anchors anchors;
    private MetricSink metrics;

    L2Anchor(L2AnchorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onRunStart(RunContext run) {
        metrics = run.metrics();
        // a sub-manager of the run's: on the training device, and released with the run even if close is missed
        state = run.manager().newSubManager();
        if (pending != null) { // state restored before the run started (a resumed run)
            anchors = anchors == null ? null : anchors.moveTo(state);
            pending.close();
            pending = null;
        }
    }

    @Override
    public void onTaskStart(TaskContext task) {
        boolean first = task.task().index() == task.tasks().get(0).index(); // tasks() is in training order
        if (first) {
            return; // nothing learned yet to hold on to
        }
        NDManager previous = state;
        state = previous.getParentManager().newSubManager();
        anchors = Anchors.capture(task.model(), state);
        previous.close();
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (anchors == null || settings.strength() == 0.0) {
            return null;
        }
        NDManager scratch = step.stepManager();
        NDArray distance = anchors.squaredDistance(step.model(), scratch);
        if (distance == null) {
            return null;
        }
        // the factor is an array of the step's manager: DJL's mul(Number) would close it at once, yet backward
        // reads it later; a float scalar, since a double one would turn the loss into float64
        NDArray half = scratch.create((float) (settings.strength() / 2)).toType(distance.getDataType(), false);
        NDArray penalty = distance.mul(half);
        if (step.step() % settings.metricEvery() == 0) {
            NDArray value = penalty.stopGradient();
            value.attach(scratch);
            metrics.record("penalty", value.getFloat());
        }
        return penalty;
    }

    @Override
    public void saveState(StateWriter out) {
        if (anchors == null) {
            out.putString("names", "");
        } else {
            anchors.save(out);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        NDManager target;
        if (state != null) {
            state.close();
            state = state.getParentManager().newSubManager();
            target = state;
        } else {
            // before the run: hold the arrays until onRunStart names the run's manager
            if (pending != null) {
                pending.close();
            }
            pending = NDManager.newBaseManager();
            target = pending;
        }
        anchors = Anchors.restore(in, target);
    }

    /** @return the anchored parameter names, empty before the second task */
    List<String> anchored() {
        return anchors == null ? List.of() : anchors.names();
    }

    @Override
    public void close() {
        anchors = null;
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
