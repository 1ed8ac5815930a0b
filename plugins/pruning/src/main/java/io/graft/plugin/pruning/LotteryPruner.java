package io.graft.plugin.pruning;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Parameter;
import io.graft.api.pruning.Pruner;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The lottery ticket (Frankle and Carbin): iterative magnitude pruning with rewinding. The first task's training
 * is cut into {@code rounds + 1} parts; after each of the first {@code rounds}, the surviving weights of smallest
 * magnitude lose the round's share and every parameter is written back to its value at {@code rewindStep}, so
 * the next part retrains the sparser network from the same start. The last part trains the final ticket.
 *
 * <p>With {@code reinit: random} the rounds and masks are the same (the run is identical up to the last round),
 * but after the last round every parameter is drawn afresh from the host's initial distribution, uniform in
 * ±1/√fan_in: the control that tells a winning ticket from a good mask.
 *
 * <p>The api offers no way to reset the optimizer's state, so with {@code train.optimizer.momentum > 0} the
 * surviving weights keep their velocity across a rewind (pruned ones lose theirs to the kernel's masks); Frankle
 * and Carbin restart the optimizer. Use momentum 0 (the default) for the faithful procedure.
 */
public final class LotteryPruner implements Pruner, TriggerCondition, Stateful {

    private final LotterySettings settings;
    private final PruneClock clock;
    private final MaskBook book = new MaskBook();
    private final Map<String, float[]> rewindTo = new LinkedHashMap<>();
    private RunContext run;
    private boolean firstTask = true;

    /** @param settings the plugin's settings */
    LotteryPruner(LotterySettings settings) {
        this.settings = settings;
        this.clock = settings.clock();
    }

    @Override
    public void onRunStart(RunContext context) {
        this.run = context;
        List<String> names = PrunedLayers.of(context.model(), settings.exclude(), LotteryFactory.ID);
        PrunedLayers.checkReachable(context.model(), names, settings.sparsity(), settings.scope(), LotteryFactory.ID);
        book.start(context.model(), names);
        if (settings.rewindStep() == 0 && rewindTo.isEmpty()) {
            save(context);
        }
    }

    @Override
    public void onTaskStart(TaskContext task) {
        clock.taskStarted();
    }

    @Override
    public void afterStep(StepContext step) {
        clock.stepped(step.stepInTask(), step.taskSteps());
        if (!firstTask || !rewindTo.isEmpty()) {
            return;
        }
        long firstRound = clock.stepOf(1, step.taskSteps());
        if (settings.rewindStep() >= firstRound) {
            throw new IllegalStateException(LotteryFactory.ID + ": rewindStep " + settings.rewindStep()
                    + " is not before the first round, which prunes after step " + firstRound + " of "
                    + step.taskSteps() + "; lower rewindStep or use fewer rounds");
        }
        if (step.stepInTask() + 1 == settings.rewindStep()) {
            save(step);
        }
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        firstTask = false;
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        return !signals.taskBoundary() && clock.fires();
    }

    @Override
    public Map<String, NDArray> prune(TaskContext task) {
        int round = clock.advance();
        double target = SparsityRamp.GEOMETRIC.target(round, clock.stages(), settings.sparsity());
        List<MaskSelection.Layer> layers = new ArrayList<>();
        for (String name : book.names()) {
            layers.add(new MaskSelection.Layer(name, task.model().parameter(name).array().toFloatArray(),
                    book.alive(name)));
        }
        Map<String, NDArray> masks = book.apply(MaskSelection.select(layers, target, settings.scope(),
                LotteryFactory.ID), run.manager());
        if (settings.reinit() == Reinit.RANDOM && round == clock.stages()) {
            redraw(task);
        } else {
            rewind(task);
        }
        book.report(task.metrics());
        task.metrics().record("round", round);
        return masks;
    }

    private void save(RunContext context) {
        for (Parameter p : context.model().parameters()) {
            rewindTo.put(p.name(), p.array().toFloatArray());
        }
    }

    /** Writes the saved values into the live parameters; the kernel then multiplies them by the masks. */
    private void rewind(TaskContext task) {
        for (Parameter p : task.model().parameters()) {
            float[] saved = rewindTo.get(p.name());
            if (saved == null) {
                throw new IllegalStateException(LotteryFactory.ID + ": no saved value of " + p.name()
                        + " to rewind to (the model changed since the rewind step)");
            }
            p.array().set(saved);
        }
    }

    /** Draws every parameter as the host initialises it: uniform in ±1/√fan_in of its layer's weight. */
    private void redraw(TaskContext task) {
        Random random = task.random();
        for (Parameter p : task.model().parameters()) {
            String layer = PrunedLayers.layerOf(p.name());
            Shape weight = p.array().getShape().dimension() >= 2 ? p.array().getShape()
                    : task.model().parameter(layer + ".weight").array().getShape();
            float bound = (float) (1 / Math.sqrt(weight.size() / weight.get(0)));
            float[] values = new float[Math.toIntExact(p.array().size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (random.nextFloat() * 2f - 1f) * bound;
            }
            p.array().set(values);
        }
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("round", clock.applied());
        out.putLong("firstTask", firstTask ? 1 : 0);
        book.save(out);
        out.putString("rewind", String.join(",", rewindTo.keySet()));
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            for (Map.Entry<String, float[]> e : rewindTo.entrySet()) {
                out.putArray("rewind." + e.getKey(), scratch.create(e.getValue()));
            }
        }
    }

    @Override
    public void restoreState(StateReader in) {
        clock.restore((int) in.getLong("round"));
        firstTask = in.getLong("firstTask") != 0;
        book.restore(in);
        rewindTo.clear();
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            for (String name : PrunedLayers.parse(in.getString("rewind"))) {
                rewindTo.put(name, in.getArray("rewind." + name, scratch).toFloatArray());
            }
        }
    }

    @Override
    public void close() {
        book.close();
    }
}
