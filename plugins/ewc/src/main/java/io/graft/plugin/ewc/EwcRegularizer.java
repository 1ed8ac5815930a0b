package io.graft.plugin.ewc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.ModelView;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.RunState;
import io.graft.plugin.support.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elastic Weight Consolidation (Kirkpatrick et al., 2017) and its online variant (Schwarz et al., 2018).
 *
 * <p>At the end of each task it estimates the diagonal Fisher information on samples of that task (see
 * {@link FisherEstimator}) and snapshots the parameters as anchors θ*. Every later step adds
 * {@code λ/2 · Σ F·(θ−θ*)²}: summed over every past task's Fisher and anchor, or, in online mode, over one
 * running Fisher {@code F ← γ·F + F_new} anchored at the latest parameters. State lives in a sub-manager of
 * the run manager; the penalty is built in the step manager from the live parameter arrays.
 */
final class EwcRegularizer implements Regularizer, Stateful {

    /** Steps between two recordings of the penalty's value (reading it back costs a device sync). */
    static final int METRIC_EVERY = 50;

    private final EwcSettings settings;
    private final FisherEstimator estimator;
    private final List<Consolidation> consolidations = new ArrayList<>();
    private final RunState run = new RunState();
    private PenaltyTerms terms;

    EwcRegularizer(EwcSettings settings) {
        this.settings = settings;
        this.estimator = new FisherEstimator(settings.fisherSamples(), settings.fisherBatch());
    }

    @Override
    public void onRunStart(RunContext run) {
        start(run);
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        start(task);
        ModelView model = task.model();
        NDManager state = run.manager();
        Map<String, NDArray> fisher = estimator.estimate(model, task.data(), task.random(), state);
        Consolidation fresh = new Consolidation(task.task().index(), fisher, Tensors.snapshot(model, state));
        Tensors.recordStatistics(run.metrics(), "fisher", fresh.fisher().values());
        consolidate(fresh);
    }

    /**
     * Remembers a finished task: appended in per-task mode, merged into the running Fisher in online mode.
     *
     * @param fresh the task's Fisher and anchors, owned by the run's state manager from now on
     */
    void consolidate(Consolidation fresh) {
        if (settings.online() && !consolidations.isEmpty()) {
            consolidations.add(consolidations.remove(0).mergeOnline(fresh, settings.gamma()));
        } else {
            consolidations.add(fresh);
        }
        refold();
    }

    /** @return the manager that owns the plugin's state, once the run has started */
    NDManager stateManager() {
        return run.manager();
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (terms == null || settings.lambda() == 0.0) {
            return null;
        }
        NDArray penalty = terms.penalty(step.model(), step.stepManager(), settings.lambda());
        run.recordPenalty(step, penalty, METRIC_EVERY);
        return penalty;
    }

    /** @return the remembered consolidations, oldest first (one in online mode) */
    List<Consolidation> consolidations() {
        return Collections.unmodifiableList(consolidations);
    }

    @Override
    public void saveState(StateWriter out) {
        out.putString("mode", settings.online() ? "online" : "per-task");
        out.putLong("count", consolidations.size());
        for (int k = 0; k < consolidations.size(); k++) {
            Consolidation c = consolidations.get(k);
            String prefix = "c" + k + ".";
            out.putLong(prefix + "task", c.task());
            out.putString(prefix + "names", String.join("\n", c.anchor().keySet()));
            for (String name : c.anchor().keySet()) {
                out.putArray(prefix + "fisher." + name, c.fisher().get(name));
                out.putArray(prefix + "anchor." + name, c.anchor().get(name));
            }
        }
    }

    @Override
    public void restoreState(StateReader in) {
        clear();
        NDManager target = run.restoreTarget();
        long count = in.getLong("count");
        for (int k = 0; k < count; k++) {
            String prefix = "c" + k + ".";
            int task = Math.toIntExact(in.getLong(prefix + "task"));
            String joined = in.getString(prefix + "names");
            Map<String, NDArray> fisher = new LinkedHashMap<>();
            Map<String, NDArray> anchor = new LinkedHashMap<>();
            for (String name : joined.isEmpty() ? new String[0] : joined.split("\n")) {
                fisher.put(name, in.getArray(prefix + "fisher." + name, target));
                anchor.put(name, in.getArray(prefix + "anchor." + name, target));
            }
            Consolidation c = new Consolidation(task, fisher, anchor);
            if (settings.online() && !consolidations.isEmpty()) {
                // per-task state taken over by an online configuration: fold it in, oldest first
                consolidations.add(consolidations.remove(0).mergeOnline(c, settings.gamma()));
            } else {
                consolidations.add(c);
            }
        }
        if (run.manager() != null) {
            refold();
        }
    }

    @Override
    public void close() {
        clear();
        run.close();
    }

    private void start(RunContext context) {
        if (run.start(context, this::adopt)) {
            refold();
        }
    }

    /** Hands the consolidations restored before the run started over to the run's state manager. */
    private void adopt(NDManager state) {
        List<Consolidation> moved = new ArrayList<>();
        for (Consolidation c : consolidations) {
            moved.add(c.moveTo(state));
        }
        consolidations.clear();
        consolidations.addAll(moved);
    }

    private void refold() {
        if (terms != null) {
            terms.close();
        }
        terms = PenaltyTerms.fold(consolidations, run.manager());
    }

    private void clear() {
        if (terms != null) {
            terms.close();
            terms = null;
        }
        consolidations.forEach(Consolidation::close);
        consolidations.clear();
    }
}
