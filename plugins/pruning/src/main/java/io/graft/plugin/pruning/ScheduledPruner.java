package io.graft.plugin.pruning;

import ai.djl.ndarray.NDArray;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.pruning.Pruner;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gradual unstructured pruning on its own schedule: the pruner is also the trigger that says when its stages
 * fall, and at each stage it keeps the highest-scoring surviving weights up to the stage's sparsity. What
 * "score" means is the subclass's one job.
 *
 * <p>Being a trigger, it acts only when every other trigger of the run fires at the same step; run it without
 * other triggers unless they are meant to gate it.
 */
abstract class ScheduledPruner implements Pruner, TriggerCondition, Stateful {

    private final String id;
    private final ScheduleSettings settings;
    private final PruneClock clock;
    private final MaskBook book = new MaskBook();
    private RunContext run;

    /**
     * @param id the plugin's id, for messages
     * @param settings its settings
     */
    ScheduledPruner(String id, ScheduleSettings settings) {
        this.id = id;
        this.settings = settings;
        this.clock = settings.clock();
    }

    @Override
    public void onRunStart(RunContext context) {
        this.run = context;
        List<String> names = PrunedLayers.of(context.model(), settings.exclude(), id);
        PrunedLayers.checkReachable(context.model(), names, settings.sparsity(), settings.scope(), id);
        book.start(context.model(), names);
        started(context, names);
    }

    /**
     * Called once the pruned parameters are known.
     *
     * @param context the run
     * @param names the pruned parameters
     */
    void started(RunContext context, List<String> names) {}

    @Override
    public void onTaskStart(TaskContext task) {
        clock.taskStarted();
    }

    @Override
    public void afterStep(StepContext step) {
        clock.stepped(step.stepInTask(), step.taskSteps());
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        return !signals.taskBoundary() && clock.fires();
    }

    @Override
    public Map<String, NDArray> prune(TaskContext task) {
        int stage = clock.advance();
        double target = settings.ramp().target(stage, clock.stages(), settings.sparsity());
        List<MaskSelection.Layer> layers = new ArrayList<>();
        for (String name : book.names()) {
            layers.add(new MaskSelection.Layer(name, scores(name), book.alive(name)));
        }
        Map<String, NDArray> masks = book.apply(MaskSelection.select(layers, target, settings.scope(), id),
                run.manager());
        book.report(task.metrics());
        task.metrics().record("stage", stage);
        pruned();
        return masks;
    }

    /**
     * The importance of every entry of a pruned parameter now; larger survives.
     *
     * @param name the parameter
     * @return one score per entry, flattened
     */
    abstract float[] scores(String name);

    /** Called after each stage's masks are chosen. */
    void pruned() {}

    /** @return the run, once started */
    RunContext run() {
        return run;
    }

    /** @return the share of the pruned weights removed so far */
    double sparsity() {
        return book.sparsity();
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("stage", clock.applied());
        book.save(out);
    }

    @Override
    public void restoreState(StateReader in) {
        clock.restore((int) in.getLong("stage"));
        book.restore(in);
    }

    @Override
    public void close() {
        book.close();
    }
}
