package io.graft.plugin.genreplay;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.Batch;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.RunState;
import io.graft.plugin.support.Tensors;
import java.util.Random;

/**
 * Deep Generative Replay (Shin, Lee, Kim and Kim, 2017): a generator trained beside the classifier stands in for
 * the data of earlier tasks, so no real sample is kept.
 *
 * <p>The generator is a {@link Vae}, trained after every classifier step ({@code generatorSteps} Adam updates in
 * a gradient collector of its own) on the incoming batch followed by replayed samples. When a task after the first
 * starts, the plugin freezes a copy of the generator ("old generator") and a {@link ModelView#snapshot} of the
 * model ({@link Labeller}). During that task every step replays samples of the old generator labelled by the frozen
 * model (argmax over the classes of the earlier tasks): the classifier trains on them beside the incoming batch
 * ({@link #replay}), and the new generator learns them too, so that it keeps reproducing the earlier tasks. The
 * first generator update of a step reuses the samples the classifier got; further updates draw fresh ones. Before
 * the second task there is nothing to replay.
 *
 * <p>The kernel's loss is the mean cross-entropy over all rows, so the share of replayed rows is the importance
 * of replay: with {@code replayPerTask} the plugin replays {@code replayBatch} rows per earlier task, which gives
 * every task seen the same weight (the paper's ratio r = 1/tasks), for the classifier and the generator alike.
 *
 * <p>Samples must be values in {@code [0, 1]} (the decoder is Bernoulli); the generator sees each sample flat and
 * returns samples in the incoming batch's shape and type. All random draws (initial weights, latent codes, the
 * reparameterisation noise) come from the plugin's {@link RunContext#random()}, so a seed repeats a run. The
 * generators and the frozen model live in sub-managers of the run manager; per-step arrays in the step manager.
 * Metric: {@code generator_loss} (negative ELBO per sample, nats) every {@value #METRIC_EVERY} steps.
 */
final class GenerativeReplay implements Rehearsal, Stateful {

    /** Steps between two recordings of the generator's loss (reading it back costs a device sync). */
    static final int METRIC_EVERY = 50;

    private final GenreplaySettings settings;
    private final RunState run = new RunState();
    private Random random;
    private Vae generator;
    private Adam adam;
    /** Owner of the old generator and of the labeller's snapshot. */
    private NDManager previousManager;
    private Vae oldGenerator;
    private Labeller labeller;
    /** What {@link #replay} gave in the step {@link #replayedStep}, reused by the generator's first update. */
    private Batch replayed;
    private long replayedStep = -1;
    /** State read back but not yet installed (it waits for the run manager and the model). */
    private SavedState restored;

    GenerativeReplay(GenreplaySettings settings) {
        this.settings = settings;
        this.adam = new Adam(settings.generatorLr());
    }

    @Override
    public void onRunStart(RunContext context) {
        start(context);
    }

    @Override
    public void onTaskStart(TaskContext task) {
        start(task);
        int index = task.task().index();
        if (labeller != null && labeller.task() == index) {
            return; // restored within this task: the frozen copies are those of its start
        }
        dropPrevious();
        if (index == 0 || generator == null) {
            return;
        }
        NDManager manager = run.manager().newSubManager();
        Labeller frozen = new Labeller(task.model().snapshot(manager), index, task.tasks());
        if (!frozen.canLabel()) {
            manager.close();
            return;
        }
        previousManager = manager;
        labeller = frozen;
        oldGenerator = generator.copy(manager);
    }

    @Override
    public Batch replay(StepContext step) {
        start(step);
        if (oldGenerator == null) {
            return null;
        }
        NDManager sm = step.stepManager();
        NDArray incoming = step.batch().features();
        Shape sample = incoming.getShape().slice(1);
        requireInputs(sample);
        int rows = replayRows();
        NDArray features = oldGenerator.sample(rows, random, sm).reshape(new Shape(rows).addAll(sample));
        if (features.getDataType() != incoming.getDataType()) {
            features = features.toType(incoming.getDataType(), false);
        }
        replayed = labeller.label(features, sm);
        replayedStep = step.step();
        return replayed;
    }

    @Override
    public void afterStep(StepContext step) {
        start(step);
        Batch batch = step.batch();
        int n = batch.size();
        if (n == 0) {
            return;
        }
        NDManager sm = step.stepManager();
        NDArray x = batch.features().reshape(n, -1);
        if (x.getDataType() != DataType.FLOAT32) {
            x = x.toType(DataType.FLOAT32, false);
        }
        if (generator == null) {
            generator = Vae.initial(Math.toIntExact(x.getShape().get(1)), settings.hiddenSize(),
                    settings.latentSize(), random, run.manager());
        }
        requireInputs(batch.features().getShape().slice(1));
        NDArray loss = null;
        for (int k = 0; k < settings.generatorSteps(); k++) {
            loss = trainGenerator(mixed(x, k == 0 && replayedStep == step.step() ? replayed : null, sm), sm);
        }
        replayed = null;
        replayedStep = -1;
        if (run.metrics() != null && step.step() % METRIC_EVERY == 0) {
            run.metrics().record("generator_loss", loss.getFloat());
        }
    }

    /** The incoming rows followed by replay of the old generator (the classifier's, when given). */
    private NDArray mixed(NDArray incoming, Batch given, NDManager sm) {
        if (oldGenerator == null) {
            return incoming;
        }
        NDArray replay = given != null ? given.features().reshape(given.size(), -1).toType(DataType.FLOAT32, false)
                : oldGenerator.sample(replayRows(), random, sm);
        return incoming.concat(replay, 0);
    }

    /** One Adam update of the generator on {@code x}; returns its loss before the update, detached. */
    private NDArray trainGenerator(NDArray x, NDManager sm) {
        NDArray noise = Vae.gaussian(Math.toIntExact(x.getShape().get(0)), generator.latent(), random, sm);
        NDArray value;
        // the kernel's collector is closed by now: PyTorch allows one at a time
        try (GradientCollector collector = sm.getEngine().newGradientCollector()) {
            NDArray loss = generator.loss(x, noise);
            collector.backward(loss);
            value = loss.stopGradient();
            value.attach(sm);
        }
        adam.step(generator.weights(), run.manager());
        return value;
    }

    private int replayRows() {
        return settings.replayRows(labeller.task());
    }

    private void requireInputs(Shape sample) {
        if (generator != null && sample.size() != generator.inputs()) {
            throw new IllegalStateException("samples of shape " + sample + " have " + sample.size()
                    + " values, the generator was built for " + generator.inputs());
        }
    }

    /** @return the generator being trained, or {@code null} before the first step (for tests) */
    Vae generator() {
        return generator;
    }

    /** @return the generator frozen at the task start, or {@code null} (for tests) */
    Vae oldGenerator() {
        return oldGenerator;
    }

    /** @return the frozen model that labels replay, or {@code null} (for tests) */
    Labeller labeller() {
        return labeller;
    }

    /** @return the generator's optimizer (for tests) */
    Adam adam() {
        return adam;
    }

    @Override
    public void saveState(StateWriter out) {
        (restored != null ? restored : SavedState.of(generator, adam, oldGenerator, labeller)).write(out);
    }

    @Override
    public void restoreState(StateReader in) {
        dropPrevious();
        dropGenerator();
        if (restored != null) {
            restored.clear();
        }
        restored = SavedState.read(in, run.restoreTarget());
    }

    @Override
    public void close() {
        if (restored != null) {
            restored.clear();
            restored = null;
        }
        dropPrevious();
        generator = null;
        run.close();
    }

    private void start(RunContext context) {
        if (random == null) {
            random = context.random();
        }
        run.start(context, state -> {
            if (restored != null) {
                restored.moveTo(state);
            }
        });
        if (restored != null && run.manager() != null) {
            install(context);
        }
    }

    /** Turns a state read back into a generator, its optimizer and, within a task, the frozen copies. */
    private void install(RunContext context) {
        SavedState s = restored;
        restored = null;
        if (s.hasGenerator()) {
            generator = Vae.of(s.generator);
            generator.recordGradients();
            adam.restore(s.adamSteps, s.adamFirst, s.adamSecond);
        }
        if (s.servedTask < 0 || generator == null) {
            Tensors.clear(s.labeller);
            Tensors.clear(s.oldGenerator);
            return;
        }
        NDManager manager = run.manager().newSubManager();
        s.oldGenerator.values().forEach(a -> a.attach(manager));
        ModelView copy = context.model().snapshot(manager);
        boolean fits = copy.parameters().size() == s.labeller.size();
        for (Parameter p : copy.parameters()) {
            NDArray saved = s.labeller.get(p.name());
            if (!Tensors.sameShape(saved, p.array())) {
                fits = false;
                break;
            }
            try (NDArray view = p.array().stopGradient()) { // shares the copy's storage
                view.muli(0).addi(saved.toType(view.getDataType(), false));
            }
        }
        Tensors.clear(s.labeller);
        if (!fits) {
            manager.close(); // the model changed shape: the next task start takes fresh copies
            return;
        }
        previousManager = manager;
        labeller = new Labeller(copy, s.servedTask, context.tasks());
        oldGenerator = Vae.of(s.oldGenerator);
    }

    /** Releases the generator and its optimizer's moments (a restore replaces them). */
    private void dropGenerator() {
        if (generator != null) {
            generator.weights().values().forEach(NDArray::close);
        }
        adam.firstMoments().values().forEach(NDArray::close);
        adam.secondMoments().values().forEach(NDArray::close);
        generator = null;
        adam = new Adam(settings.generatorLr());
    }

    private void dropPrevious() {
        if (previousManager != null) {
            previousManager.close();
        }
        previousManager = null;
        oldGenerator = null;
        labeller = null;
    }
}
