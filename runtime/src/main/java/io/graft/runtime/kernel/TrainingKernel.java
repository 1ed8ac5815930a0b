package io.graft.runtime.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.Plugin;
import io.graft.api.Protocol;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.growth.BlendSchedule;
import io.graft.api.growth.SlotView;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.Batch;
import io.graft.api.model.TaskInfo;
import io.graft.api.pruning.Pruner;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import io.graft.runtime.UserException;
import io.graft.runtime.checkpoint.CheckpointFolder;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.config.OptimizerConfig;
import io.graft.runtime.config.TrainConfig;
import io.graft.runtime.metrics.AccuracyMatrix;
import io.graft.runtime.scenario.SampleSet;
import io.graft.runtime.scenario.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the host network on a {@link Scenario}'s tasks in sequence, with the run's plugins at fixed hook
 * points, and evaluates it on every task after each one.
 *
 * <h2>Hook order</h2>
 * Plugins are called in the order of the list given to the constructor at every hook; listeners likewise.
 * <pre>
 * run start   listeners.onRunStart → plugins.onRunStart
 *             evaluate the untrained model on every task, each protocol (baseline row b, for FWT)
 *               → listeners.onEvaluation(-1, protocol, accuracies)
 * each task   listeners.onTaskStart → plugins.onTaskStart
 *   each epoch (samples reshuffled, seeded), each batch, in a fresh sub-manager of the run manager:
 *             Rehearsal.replay (replayed rows are appended after the incoming batch)
 *             open GradientCollector
 *               forward (incoming + replayed rows), TaskMask masks of the task in progress applied; the one
 *                 pass in training mode (BatchNorm: batch statistics, running statistics updated; a
 *                 frozen block's, and every block's in a seed-only step, on its running statistics, untouched)
 *               loss = mean softmax cross-entropy over all rows (model.heads: multi: each row over its
 *                      own task's classes) + Σ Regularizer.penalty
 *               refuse a NaN or infinite loss
 *               backward
 *             close GradientCollector
 *             GradientTransform.transform (gradients filled, editable in place)
 *             multiply gradients by the pruning masks so far
 *             optimizer step (Graft's Sgd; zeroes the gradients)
 *             Plugin.afterStep (StepContext.logits() = detached logits of the incoming rows,
 *                               loss() = the total loss)
 *             TriggerCondition.fires (every trigger) → when all fire: GrowthPolicy.grow (StructureEditor),
 *               then Pruner.prune (masks applied as at task end)
 *             listeners.onStep
 *             close the step's sub-manager
 * task end    plugins.onTaskEnd (consolidation)
 *             TriggerCondition.fires (taskBoundary) → when all fire: GrowthPolicy.grow, then
 *             Pruner.prune → weights multiplied by the masks; masks kept (combined with earlier ones);
 *               model.shrink: hidden units masked entirely are removed physically (StructureEditor.removeUnits)
 *               and applied to the gradients before every later optimizer step (a run without triggers
 *               prunes at every task end)
 *             evaluate on EVERY task of the scenario (future ones too, for FWT), each protocol
 *               → listeners.onEvaluation(task, protocol, accuracies)
 *             listeners.onTaskEnd
 * run end     plugins.onRunEnd → plugins.close → listeners.onRunEnd(result)
 * on error    listeners.onRunFailed(error) → plugins.close → the error is thrown
 * </pre>
 *
 * <h2>Evaluation</h2>
 * Batches of {@code train.evalBatchSize} in sub-managers, without gradient. {@code class_il} and
 * {@code domain_il}: argmax over every output; {@code task_il}: argmax over the task's classes only (the
 * other logits masked to {@code -inf}).
 *
 * <h2>Errors</h2>
 * Anything a plugin throws in a hook (or an unusable value it returns) stops the run with a
 * {@link PluginFailure} naming the plugin, the hook, the task and the step. A NaN or infinite loss stops it
 * with a {@link UserException}: blamed on the regularizer whose penalty is not finite, otherwise naming the
 * active plugins and the learning rate. Listeners have received every event up to the failure.
 *
 * <h2>Reproducibility</h2>
 * The initial weights, the shuffling of every task and each plugin's {@link io.graft.api.train.RunContext#random()}
 * derive from the seed alone, so the same scenario, config and seed give the same accuracies.
 *
 * <h2>Memory</h2>
 * Parameters, optimizer state and pruning masks live in the run manager (closed at the end of the run); every
 * per-step array of the kernel in the step's sub-manager, every evaluation batch in its own sub-manager. DJL
 * attaches a result to the manager of its first operand, so an operation on a parameter lands in the run
 * manager: plugins attach their per-step temporaries to {@link io.graft.api.train.StepContext#stepManager()}
 * (or close them). {@code Regularizer.penalty} is the exception, because it necessarily computes from the
 * parameters: every array created while the penalties run is closed once backward is done (not before: an
 * array made from Java values lends its memory to PyTorch, and backward may still read it), so a regulariser must
 * not create state it keeps there; it builds that state in {@code onTaskStart}/{@code onTaskEnd}.
 *
 * <p>A kernel runs once. Not thread-safe: one training thread.
 */
public final class TrainingKernel {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingKernel.class);

    private static final long SALT_HOST = 0x686f7374L;
    private static final long SALT_SHUFFLE = 0x73687566L;
    private static final long SALT_PLUGIN = 0x706c7567L;
    private static final long SALT_GROWTH = 0x67726f77L;
    private static final long SALT_SEED = 0x73656564L;
    /** Samples of the task in progress that seed contributions are measured on. */
    private static final int PROBE_SAMPLES = 512;

    private final Scenario scenario;
    private final ModelConfig model;
    private final boolean multiHead;
    private final boolean joint;
    private final boolean shrink;
    private final int slotColumns;
    private final int probeEvery;
    private final int epochs;
    private final int batchSize;
    private final int evalBatchSize;
    private final double learningRate;
    private final double momentum;
    private final boolean cosine;
    private final boolean checkpointAtBoundaries;
    private final int checkpointEvery;
    private final boolean quarantineFailures;
    private final HookWatch watch;
    private CheckpointFolder checkpoints;
    private PluginUpdates updates = PluginUpdates.NONE;
    private final Set<String> missing = new HashSet<>();
    private Path resumeFrom;
    private final long seed;
    private final Device device;
    private final List<ActivePlugin> plugins;
    private final List<KernelListener> listeners;
    private final TriggerBinding binding;
    private boolean started;
    private boolean pluginsClosed;

    // run state
    private NDManager runManager;
    private Host host;
    private Sgd optimizer;
    private KernelState state;
    private List<BoundPlugin> slots;
    private final Map<String, NDArray> masks = new LinkedHashMap<>();
    private Evaluator evaluator;
    private TaskMasking masking;
    private HostEditor growth;
    private SeedSlots seeds;
    private RunRandom growthRandom;
    private RunRandom seedRandom;
    private List<AccuracyMatrix> matrices;
    private long trainedSamples;
    private long trainedNanos;
    private IsolationVerifier isolation;
    private NDManager probeManager;
    private Batch probe;
    private NDManager restoring;
    /** The last completed step's loss, for triggers asked at a task boundary. */
    private double lastLoss = Double.NaN;
    /** Multi-head only: row y holds 0 for the classes of y's task and -1e9 for the others. */
    private NDArray headBias;

    /**
     * @param scenario the tasks
     * @param model the host network ({@code mlp} with its hidden widths, or {@code cnn} with its blocks too)
     * @param train epochs, batch sizes and optimizer
     * @param seed the run's seed
     * @param device where to train (the caller resolves {@code auto})
     * @param plugins the active plugins, in hook order; fresh instances for this run
     * @param listeners the listeners, in call order
     * @throws UserException (BAD_CONFIG) for a setting the kernel cannot use, naming the key
     */
    public TrainingKernel(Scenario scenario, ModelConfig model, TrainConfig train, long seed, Device device,
                          List<ActivePlugin> plugins, List<KernelListener> listeners) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.device = Objects.requireNonNull(device, "device");
        this.plugins = List.copyOf(plugins);
        this.listeners = List.copyOf(listeners);
        this.seed = seed;
        String refusal = Hosts.refusal(model, scenario);
        if (refusal != null) {
            throw badConfig(refusal);
        }
        this.model = model;
        if (!ModelConfig.SINGLE_HEAD.equals(model.heads()) && !model.multiHead()) {
            throw badConfig("model.heads '" + model.heads() + "' is not supported; use single or multi");
        }
        if (model.multiHead() && !scenario.protocols().equals(List.of(Protocol.TASK_IL))) {
            throw badConfig("model.heads: multi needs a split scenario evaluated task_il only, this one is evaluated "
                    + scenario.protocols().stream().map(Protocol::key).collect(Collectors.joining(", ")));
        }
        this.multiHead = model.multiHead();
        this.shrink = model.shrink();
        if (model.slots() < 0) {
            throw badConfig("model.slots must be 0 (no slots) or the number of slot columns per hidden layer, got "
                    + model.slots());
        }
        this.slotColumns = model.slots();
        this.probeEvery = positive(model.probeEvery(), "model.probeEvery");
        this.epochs = positive(train.epochs(), "train.epochs");
        this.batchSize = positive(train.batchSize(), "train.batchSize");
        this.evalBatchSize = positive(train.evalBatchSize(), "train.evalBatchSize");
        if (!"sgd".equalsIgnoreCase(train.optimizer().type())) {
            throw badConfig("train.optimizer.type '" + train.optimizer().type() + "' is not supported; use sgd");
        }
        this.learningRate = train.optimizer().lr();
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw badConfig("train.optimizer.lr must be a positive number, got " + learningRate);
        }
        if (!TrainConfig.SEQUENTIAL.equals(train.regime()) && !train.joint()) {
            throw badConfig("train.regime '" + train.regime() + "' is not supported; use sequential or joint");
        }
        this.joint = train.joint();
        if (joint && !plugins.isEmpty()) {
            throw badConfig("train.regime: joint trains one model on every task at once (the upper bound) and takes"
                    + " no plugins; remove the plugins or use train.regime: sequential");
        }
        this.momentum = train.optimizer().momentum();
        String schedule = train.optimizer().schedule();
        if (!OptimizerConfig.CONSTANT.equals(schedule) && !OptimizerConfig.COSINE.equals(schedule)) {
            throw badConfig("train.optimizer.schedule '" + schedule + "' is not supported; use constant or cosine");
        }
        this.cosine = OptimizerConfig.COSINE.equals(schedule);
        this.checkpointAtBoundaries = train.checkpoints();
        if (train.checkpointEvery() < 0) {
            throw badConfig("train.checkpointEvery must be 0 (task boundaries only) or a number of steps, got "
                    + train.checkpointEvery());
        }
        this.checkpointEvery = train.checkpointEvery();
        if (!TrainConfig.STOP.equals(train.pluginFailure()) && !TrainConfig.QUARANTINE.equals(train.pluginFailure())) {
            throw badConfig("train.pluginFailure '" + train.pluginFailure() + "' is not supported; use stop or"
                    + " quarantine");
        }
        this.quarantineFailures = TrainConfig.QUARANTINE.equals(train.pluginFailure());
        if (!(train.hookTimeout() >= 0)) {
            throw badConfig("train.hookTimeout must be 0 (no limit) or a number of seconds, got " + train.hookTimeout());
        }
        this.watch = new HookWatch(train.hookTimeout());
        if (!(momentum >= 0 && momentum < 1)) {
            throw badConfig("train.optimizer.momentum must be in [0, 1), got " + momentum);
        }
        Set<String> ids = new HashSet<>();
        for (ActivePlugin p : this.plugins) {
            if (!ids.add(p.id())) {
                throw badConfig("plugin '" + p.id() + "' is listed twice in plugins; list each plugin once (give a second"
                        + " instance its own name:)");
            }
        }
        try {
            this.binding = new TriggerBinding(this.plugins, i -> this.plugins.get(i).instance() instanceof TriggerCondition,
                    i -> this.plugins.get(i).instance() instanceof GrowthPolicy
                            || this.plugins.get(i).instance() instanceof Pruner,
                    i -> this.plugins.get(i).instance() instanceof GrowthPolicy);
        } catch (IllegalArgumentException e) {
            throw badConfig(e.getMessage());
        }
    }

    /**
     * Writes checkpoints into a run folder (at task boundaries unless {@code train.checkpoints} is false, and every
     * {@code train.checkpointEvery} steps), and, with {@code resumeFrom}, goes on from a checkpoint instead of from
     * the start: the network, optimizer, masks, seeds, random generators, every {@link io.graft.api.Stateful}
     * plugin's state and the accuracy matrices so far come back as saved; the plugins start ({@code onRunStart})
     * before their states are restored; a run resumed inside a task does not call {@code onTaskStart} again.
     *
     * @param folder where checkpoints go, or null for none
     * @param resume a committed checkpoint to go on from, or null
     * @return this
     */
    public TrainingKernel checkpointing(CheckpointFolder folder, Path resume) {
        this.checkpoints = folder;
        this.resumeFrom = resume;
        return this;
    }

    /**
     * @param source where replaced or removed plugins are found at task boundaries
     * @return this
     */
    public TrainingKernel updates(PluginUpdates source) {
        this.updates = Objects.requireNonNull(source, "source");
        return this;
    }

    /**
     * Runs every task and returns the result.
     *
     * @return accuracy matrices and timings
     * @throws PluginFailure when a plugin fails
     * @throws UserException when the loss diverges
     * @throws IllegalStateException when called a second time
     */
    public RunResult run() {
        if (started) {
            throw new IllegalStateException("a TrainingKernel runs once; make a new one");
        }
        started = true;
        long wallStart = System.nanoTime();
        runManager = NDManager.newBaseManager(device);
        watch.start(failure -> {
            for (KernelListener l : listeners) {
                try {
                    l.onRunFailed(failure);
                } catch (RuntimeException ignored) {
                    // stopping anyway
                }
            }
        });
        try {
            Engines.disableGradMode(runManager);
            RunResult result = execute(wallStart);
            closePlugins();
            for (KernelListener l : listeners) {
                l.onRunEnd(result);
            }
            return result;
        } catch (RuntimeException | Error e) {
            for (KernelListener l : listeners) {
                try {
                    l.onRunFailed(e);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            closePlugins();
            throw e;
        } finally {
            watch.stop();
            runManager.close();
        }
    }

    private RunResult execute(long wallStart) {
        host = Hosts.create(model, scenario, runManager, mix(seed, SALT_HOST));
        optimizer = new Sgd(learningRate, momentum, runManager);
        state = new KernelState(host, runManager, scenario.tasks(), scenario.protocols(), seed);
        slots = new ArrayList<>();
        for (ActivePlugin p : plugins) {
            RunRandom random = new RunRandom(mix(seed ^ SALT_PLUGIN, p.id().hashCode()));
            slots.add(new BoundPlugin(p, new PluginContext(state, p.id(), random,
                    (name, value) -> metric(p.id(), name, value)), random));
        }
        List<TaskMasking.Masker> maskers = new ArrayList<>();
        for (BoundPlugin s : slots) {
            if (s.mask != null) {
                maskers.add(new TaskMasking.Masker(s.active.id(), s.mask));
            }
        }
        masking = new TaskMasking(maskers, state);
        if (!masking.isEmpty()) {
            host.viewMasks(m -> masking.forPass(scenario.task(Math.max(state.taskIndex, 0)), false, m));
        }
        if (multiHead) {
            headBias = headBias(runManager);
        }
        growthRandom = new RunRandom(mix(seed, SALT_GROWTH));
        growth = Hosts.editor(host, optimizer, masks, growthRandom, event -> {
            for (KernelListener l : listeners) {
                l.onGrowth(event);
            }
        });
        isolation = new IsolationVerifier(optimizer);
        if (slotColumns > 0) {
            Map<String, BlendSchedule> schedules = new LinkedHashMap<>();
            for (BoundPlugin s : slots) {
                if (s.plugin instanceof BlendSchedule b) {
                    schedules.put(s.active.id(), b);
                }
            }
            seedRandom = new RunRandom(mix(seed, SALT_SEED));
            seeds = new SeedSlots(host, slotColumns, runManager, schedules, seedRandom,
                    new SeedSlots.Listener() {
                        @Override
                        public void onSeed(SeedEvent event) {
                            for (KernelListener l : listeners) {
                                l.onSeed(event);
                            }
                        }

                        @Override
                        public void onAlpha(long step, String slot, double alpha) {
                            for (KernelListener l : listeners) {
                                l.onAlpha(step, slot, alpha);
                            }
                        }
                    });
            seeds.probe(this::probeAccuracy);
            host.slotTap(seeds);
            growth.seeds(seeds);
        }
        evaluator = new Evaluator(scenario, host, runManager, evalBatchSize, masking);
        evaluator.seeds(seeds);

        int taskCount = scenario.taskCount();
        long totalSteps = 0;
        int jointSamples = 0;
        for (int t = 0; t < taskCount; t++) {
            totalSteps += (long) epochs * stepsPerEpoch(scenario.trainIndices(t).length);
            jointSamples += scenario.trainIndices(t).length;
        }
        if (joint) {
            totalSteps = (long) epochs * stepsPerEpoch(jointSamples);
        }
        // settings that only make sense against the network (slots, blueprints) are refused before training,
        // before anything is reported, so the refusal is the run's only line
        for (BoundPlugin s : slots) {
            if (s.growth != null) {
                try {
                    s.growth.check(s.context, growth);
                } catch (IllegalArgumentException e) {
                    throw badConfig("plugin '" + s.active.id() + "': " + e.getMessage());
                } catch (RuntimeException e) {
                    throw new PluginFailure(s.active.id(), "check", -1, -1, e);
                }
            }
        }
        KernelCheckpoint.Saved saved = null;
        if (resumeFrom != null) {
            if (joint) {
                throw badConfig("a joint run has one phase and no checkpoint to resume from; run it again");
            }
            // the checkpoint's arrays live only until everything is restored (closed after the plugins' states)
            restoring = runManager.newSubManager();
            saved = KernelCheckpoint.read(resumeFrom, restoring);
            KernelCheckpoint.restoreNetwork(saved, host, optimizer, masks, growth, seeds, seedRandom, runManager);
        }
        KernelCheckpoint.Position resumed = saved == null ? null : saved.position();
        RunInfo info = new RunInfo(scenario.tasks(), scenario.protocols(),
                plugins.stream().map(p -> p.id() + "@" + p.version()).toList(), host.parameterCount(),
                device.toString(), seed, epochs, batchSize, totalSteps, resumed == null ? -1 : resumed.step());
        for (KernelListener l : listeners) {
            l.onRunStart(info);
        }

        // plugins start first: a masking plugin's masks take part in the baseline evaluation
        for (BoundPlugin s : slots) {
            call(s, "onRunStart", () -> s.plugin.onRunStart(s.context));
        }
        List<Protocol> protocols = scenario.protocols();
        matrices = new ArrayList<>();
        int firstTask = 0;
        long fromStepInTask = 0;
        if (saved != null) {
            restorePlugins(saved);
            restoring.close();
            for (Protocol p : protocols) {
                matrices.add(saved.matrix(p));
            }
            state.step = resumed.step();
            lastLoss = resumed.lastLoss();
            trainedSamples = resumed.trainSamples();
            trainedNanos = resumed.trainNanos();
            firstTask = resumed.boundary() ? resumed.task() + 1 : resumed.task();
            fromStepInTask = resumed.boundary() ? 0 : resumed.stepInTask();
        } else {
            double[][] baseline = evaluator.evaluate(-1);
            for (int k = 0; k < protocols.size(); k++) {
                matrices.add(new AccuracyMatrix(baseline[k], new double[0][]));
                emitEvaluation(-1, protocols.get(k), baseline[k]);
            }
        }

        if (joint) {
            return trainJointly(matrices, wallStart);
        }
        if (saved == null && checkpointAtBoundaries) {
            // the last good state before any task: what a quarantine in the first task goes back to
            saveCheckpoint(new KernelCheckpoint.Position(0, -1, true, 0, lastLoss, 0, 0));
        }
        while (true) {
            try {
                trainTasks(firstTask, fromStepInTask);
                break;
            } catch (PluginFailure failure) {
                KernelCheckpoint.Position back = quarantine(failure);
                firstTask = back.boundary() ? back.task() + 1 : back.task();
                fromStepInTask = back.boundary() ? 0 : back.stepInTask();
            }
        }
        state.taskIndex = -1;
        state.taskData = null;
        for (BoundPlugin s : slots) {
            call(s, "onRunEnd", () -> s.plugin.onRunEnd(s.context));
        }
        Map<Protocol, AccuracyMatrix> byProtocol = new LinkedHashMap<>();
        for (int k = 0; k < protocols.size(); k++) {
            byProtocol.put(protocols.get(k), matrices.get(k));
        }
        return new RunResult(byProtocol, trainedSamples, trainedNanos / 1e9, (System.nanoTime() - wallStart) / 1e9,
                host.parameterCount(), state.step, isolation.violations(), isolation.checkedSteps());
    }

    /** Trains and evaluates the tasks from {@code firstTask} on (from step {@code fromStepInTask} of the first). */
    private void trainTasks(int firstTask, long fromStepInTask) {
        int taskCount = scenario.taskCount();
        List<Protocol> protocols = scenario.protocols();
        for (int t = firstTask; t < taskCount; t++) {
            long taskStart = System.nanoTime();
            TaskInfo task = scenario.task(t);
            state.taskIndex = t;
            if (seeds != null) {
                seeds.pass(SeedSlots.Pass.EVAL, t);
            }
            state.taskData = scenario.trainData(t);
            state.stepInTask = 0;
            state.taskSteps = (long) epochs * stepsPerEpoch(state.taskData.size());
            state.epoch = 0;
            // a run resumed inside a task goes on with it: its start hooks ran before the checkpoint
            long from = t == firstTask ? fromStepInTask : 0;
            if (from == 0) {
                for (KernelListener l : listeners) {
                    l.onTaskStart(task);
                }
                for (BoundPlugin s : slots) {
                    call(s, "onTaskStart", () -> s.plugin.onTaskStart(s.context));
                }
            }
            takeProbe();
            long before = System.nanoTime();
            trainedSamples += trainTask(t, from, before);
            trainedNanos += System.nanoTime() - before;

            for (BoundPlugin s : slots) {
                call(s, "onTaskEnd", () -> s.plugin.onTaskEnd(s.context));
            }
            if (seeds != null) {
                seeds.actingFor("kernel", state.step, t);
                seeds.measureAll();
            }
            structuralActions(true, lastLoss);
            double[][] acc = evaluator.evaluate(t);
            for (int k = 0; k < protocols.size(); k++) {
                matrices.set(k, matrices.get(k).withRow(t, acc[k]));
                emitEvaluation(t, protocols.get(k), acc[k]);
            }
            double seconds = (System.nanoTime() - taskStart) / 1e9;
            for (KernelListener l : listeners) {
                l.onTaskEnd(task, seconds);
            }
            if (checkpointAtBoundaries) {
                saveCheckpoint(new KernelCheckpoint.Position(state.step, t, true, 0, lastLoss, trainedSamples,
                        trainedNanos));
            }
            if (t + 1 < taskCount) {
                swapUpdatedPlugins();
            }
        }
    }

    /**
     * A plugin failed (threw, or produced a non-finite loss or gradient). With {@code train.pluginFailure: stop} the
     * failure stops the run. With {@code quarantine} the plugin is dropped (an event says so), and the run goes back
     * to its last checkpoint, the last good state, and goes on without it.
     *
     * @return where the run goes on from
     * @throws PluginFailure when the policy is stop or there is no checkpoint to go back to
     */
    private KernelCheckpoint.Position quarantine(PluginFailure failure) {
        java.util.Optional<Path> last = checkpoints == null ? java.util.Optional.empty() : checkpoints.latest();
        if (!quarantineFailures || last.isEmpty()) {
            throw failure;
        }
        if (state.inStep) {
            state.endStep(false);
        }
        BoundPlugin culprit = slots.stream().filter(b -> b.active.id().equals(failure.pluginId())).findFirst()
                .orElseThrow(() -> failure);
        slots.remove(culprit);
        closeQuietly(culprit.active);
        rebuildMasking();
        KernelCheckpoint.Position back;
        try (NDManager reading = runManager.newSubManager()) {
            KernelCheckpoint.Saved saved = KernelCheckpoint.read(last.get(), reading);
            KernelCheckpoint.restoreNetwork(saved, host, optimizer, masks, growth, seeds, seedRandom, runManager);
            restorePlugins(saved);
            matrices.clear();
            for (Protocol p : scenario.protocols()) {
                matrices.add(saved.matrix(p));
            }
            back = saved.position();
        }
        state.step = back.step();
        lastLoss = back.lastLoss();
        trainedSamples = back.trainSamples();
        trainedNanos = back.trainNanos();
        for (KernelListener l : listeners) {
            l.onQuarantine(failure.pluginId(), failure.getMessage(), back.step());
        }
        LOG.warn("plugin '{}' quarantined: {}; going on from step {}", failure.pluginId(), failure.getMessage(),
                back.step());
        return back;
    }

    /**
     * Hot swap, at a task boundary: a plugin whose jar now offers another version is replaced by a fresh instance of
     * it, started ({@code onRunStart}) and, when both versions name the same state format, given the old one's state;
     * otherwise it starts afresh. A plugin whose jar is gone keeps running as it is (its classes are loaded). Every
     * change is an event.
     */
    private void swapUpdatedPlugins() {
        for (int i = 0; i < slots.size(); i++) {
            BoundPlugin s = slots.get(i);
            java.util.Optional<PluginUpdates.Update> found = updates.check(s.active.id(), s.active.version());
            if (found.isEmpty()) {
                missing.remove(s.active.id());
                continue;
            }
            PluginUpdates.Update u = found.get();
            if (u.instance() == null) {
                if (missing.add(s.active.id())) {
                    emitSwap(s.active.id(), s.active.version(), s.active.version(),
                            "its jar is gone from plugins/; the running instance goes on");
                }
                continue;
            }
            missing.remove(s.active.id());
            BoundPlugin fresh = new BoundPlugin(new ActivePlugin(s.active.id(), u.version(), u.instance(),
                    s.active.when()), s.context, s.random);
            call(fresh, "onRunStart", () -> fresh.plugin.onRunStart(fresh.context));
            String note = "started afresh: the versions name no common state format";
            if (u.stateCompatible() && s.plugin instanceof io.graft.api.Stateful old
                    && fresh.plugin instanceof io.graft.api.Stateful neu) {
                try (NDManager scratch = runManager.newSubManager()) {
                    Map<String, NDArray> arrays = new LinkedHashMap<>();
                    io.graft.runtime.checkpoint.StateRecord saved =
                            io.graft.runtime.checkpoint.StateRecord.writing(arrays, "", scratch);
                    call(s, "saveState", () -> old.saveState(saved));
                    call(fresh, "restoreState", () -> neu.restoreState(
                            new io.graft.runtime.checkpoint.StateRecord(arrays, "", saved.values(), null)));
                }
                note = "state carried over";
            } else if (!(s.plugin instanceof io.graft.api.Stateful)) {
                note = "started afresh: the plugin keeps no state";
            }
            slots.set(i, fresh);
            closeQuietly(s.active);
            rebuildMasking();
            emitSwap(s.active.id(), s.active.version(), u.version(), note);
        }
    }

    private void emitSwap(String id, String from, String to, String note) {
        LOG.info("plugin '{}' {} -> {}: {}", id, from, to, note);
        for (KernelListener l : listeners) {
            l.onPluginSwap(id, from, to, note);
        }
    }

    /** The masking plugins after one was dropped: the forward passes and the evaluation use the rest. */
    private void rebuildMasking() {
        List<TaskMasking.Masker> maskers = new ArrayList<>();
        for (BoundPlugin s : slots) {
            if (s.mask != null) {
                maskers.add(new TaskMasking.Masker(s.active.id(), s.mask));
            }
        }
        masking = new TaskMasking(maskers, state);
        evaluator.masking(masking);
    }

    private List<KernelCheckpoint.PluginPart> pluginParts() {
        List<KernelCheckpoint.PluginPart> parts = new ArrayList<>();
        for (BoundPlugin s : slots) {
            parts.add(new KernelCheckpoint.PluginPart(s.active.id(), s.plugin, s.random));
        }
        return parts;
    }

    private void restorePlugins(KernelCheckpoint.Saved saved) {
        for (BoundPlugin s : slots) {
            call(s, "restoreState", () -> KernelCheckpoint.restorePlugins(saved,
                    List.of(new KernelCheckpoint.PluginPart(s.active.id(), s.plugin, s.random))));
        }
    }

    /** Writes a checkpoint and commits it atomically; listeners add their files first (the metrics' line count). */
    private void saveCheckpoint(KernelCheckpoint.Position position) {
        if (checkpoints == null) {
            return;
        }
        Path dir = checkpoints.begin();
        try (NDManager scratch = runManager.newSubManager()) {
            KernelCheckpoint.write(dir, position, matrices, scenario.protocols(), host, optimizer, masks, growth, seeds,
                    seedRandom, pluginParts(), scratch);
        }
        for (KernelListener l : listeners) {
            l.onCheckpoint(dir);
        }
        checkpoints.commit();
    }

    /**
     * The probe batch of the task in progress: its first training samples, on which seed contributions are
     * measured (fixed for the task, so successive measurements compare).
     */
    private void takeProbe() {
        if (seeds == null) {
            return;
        }
        if (probeManager != null) {
            probeManager.close();
        }
        probeManager = runManager.newSubManager();
        SampleSet data = state.taskData;
        int n = Math.min(PROBE_SAMPLES, data.size());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        probe = data.batch(order, 0, n, probeManager);
    }

    /** Accuracy on the probe batch in eval mode, as the network (and its slots) now are. */
    private double probeAccuracy() {
        if (probe == null || probe.size() == 0) {
            return Double.NaN;
        }
        try (NDManager pm = runManager.newSubManager()) {
            TaskInfo task = scenario.task(Math.max(state.taskIndex, 0));
            // a pass's arrays belong to its input's manager: with the probe batch's own, every activation of every
            // probe would stay until the task ends (50 MB a pass on the CNN)
            NDArray features = probe.features().duplicate();
            features.attach(pm);
            NDArray labels = probe.labels().duplicate();
            labels.attach(pm);
            NDArray logits = host.forward(features, masking.forPass(task, false, pm));
            if (multiHead) {
                logits = logits.add(labels.oneHot(scenario.numClasses()).matMul(headBias));
            }
            return (double) logits.argMax(1).eq(labels).countNonzero().getLong() / probe.size();
        }
    }

    /**
     * The joint upper bound: every task's training data shuffled together, trained as one phase (reported as
     * the last task, the point where everything has been seen), then one evaluation on every task.
     */
    private RunResult trainJointly(List<AccuracyMatrix> baselines, long wallStart) {
        int taskCount = scenario.taskCount();
        List<SampleSet> sets = new ArrayList<>();
        java.util.SortedSet<Integer> classes = new java.util.TreeSet<>();
        for (int t = 0; t < taskCount; t++) {
            sets.add(scenario.trainData(t));
            for (int c : scenario.task(t).classes()) {
                classes.add(c);
            }
        }
        TaskInfo all = new TaskInfo(taskCount - 1, "joint: all " + taskCount + " tasks",
                classes.stream().mapToInt(Integer::intValue).toArray());
        long taskStart = System.nanoTime();
        state.taskIndex = taskCount - 1;
        state.taskData = SampleSet.union(sets);
        state.stepInTask = 0;
        state.taskSteps = (long) epochs * stepsPerEpoch(state.taskData.size());
        for (KernelListener l : listeners) {
            l.onTaskStart(all);
        }
        long before = System.nanoTime();
        long samples = trainTask(0, 0, System.nanoTime());
        long trainNanos = System.nanoTime() - before;
        double[][] acc = evaluator.evaluate(taskCount - 1);
        List<Protocol> protocols = scenario.protocols();
        Map<Protocol, AccuracyMatrix> byProtocol = new LinkedHashMap<>();
        for (int k = 0; k < protocols.size(); k++) {
            byProtocol.put(protocols.get(k), AccuracyMatrix.joint(baselines.get(k).baseline(), acc[k]));
            emitEvaluation(taskCount - 1, protocols.get(k), acc[k]);
        }
        for (KernelListener l : listeners) {
            l.onTaskEnd(all, (System.nanoTime() - taskStart) / 1e9);
        }
        state.taskIndex = -1;
        state.taskData = null;
        return new RunResult(byProtocol, samples, trainNanos / 1e9, (System.nanoTime() - wallStart) / 1e9,
                host.parameterCount(), state.step, isolation.violations(), isolation.checkedSteps());
    }

    /**
     * Trains task {@code t} from step {@code from} of it (0, or where a resumed run goes on): every epoch's order is
     * drawn as in an uninterrupted run, the steps before {@code from} are skipped.
     */
    private long trainTask(int t, long from, long startNanos) {
        SampleSet data = state.taskData;
        int n = data.size();
        if (n == 0) {
            return 0;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random shuffle = new Random(mix(seed ^ SALT_SHUFFLE, t));
        long stepsInTask = (long) epochs * stepsPerEpoch(n);
        long samples = 0;
        long stepInTask = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int first = 0; first < n; first += batchSize) {
                if (stepInTask < from) {
                    stepInTask++;
                    continue;
                }
                int to = Math.min(n, first + batchSize);
                step(data, order, first, to, epoch, stepInTask, stepsInTask);
                samples += to - first;
                stepInTask++;
                if (checkpointEvery > 0 && state.step % checkpointEvery == 0 && stepInTask < stepsInTask) {
                    saveCheckpoint(new KernelCheckpoint.Position(state.step, t, false, stepInTask, lastLoss,
                            trainedSamples + samples, trainedNanos + System.nanoTime() - startNanos));
                }
            }
        }
        return samples;
    }

    private void step(SampleSet data, int[] order, int from, int to, int epoch, long stepInTask, long stepsInTask) {
        try (NDManager sm = runManager.newSubManager()) {
            if (cosine) {
                optimizer.scale(0.5 * (1 + Math.cos(Math.PI * stepInTask / stepsInTask)));
            }
            state.beginStep(sm, epoch, stepInTask);
            if (seeds != null) {
                seeds.beginStep(state.step, state.taskIndex, this::blendFailure);
            }
            boolean hostIsolated = seeds != null && seeds.hostIsolated(state.taskIndex);
            Set<String> frozenLayers = growth.frozenLayers();
            Set<String> frozen = IsolationVerifier.frozen(host.hostParameters(), frozenLayers, hostIsolated);
            isolation.beforeStep(host.hostParameters(), frozen,
                    IsolationVerifier.frozenBuffers(host.buffers(), frozenLayers, hostIsolated), sm);
            // a frozen layer's BatchNorm neither uses nor updates batch statistics: its buffers stay as they are
            Set<String> still = IsolationVerifier.stillLayers(host.layers(), frozenLayers, hostIsolated);
            Batch incoming = data.batch(order, from, to, sm);
            state.batch = incoming;
            int incomingRows = incoming.size();

            NDArray features = incoming.features();
            NDArray labels = incoming.labels();
            int replayed = 0;
            for (BoundPlugin s : slots) {
                if (s.rehearsal != null) {
                    s.context.replayedFrom(-1);
                    Batch r = call(s, "replay", () -> s.rehearsal.replay(s.context));
                    if (r != null && r.size() > 0) {
                        s.context.replayedFrom(incomingRows + replayed);
                        checkReplay(s, r, incoming);
                        NDArray rl = r.labels().getDataType() == DataType.INT64 ? r.labels()
                                : r.labels().toType(DataType.INT64, false);
                        features = features.concat(r.features(), 0);
                        labels = labels.concat(rl, 0);
                        replayed += r.size();
                    }
                }
            }

            NDArray logits;
            double lossValue;
            host.collecting(true);
            try (GradientCollector collector = runManager.getEngine().newGradientCollector()) {
                ForwardMasks passMasks = masking.forPass(scenario.task(state.taskIndex), true, sm);
                if (seeds != null) {
                    seeds.pass(SeedSlots.Pass.TRAINING, state.taskIndex);
                }
                try {
                    logits = host.forwardTraining(features, passMasks, still);
                } finally {
                    if (seeds != null) {
                        seeds.pass(SeedSlots.Pass.EVAL, state.taskIndex);
                    }
                }
                state.forwarding(logits);
                NDArray total = crossEntropy(logits, labels);
                if (seeds != null) {
                    for (SeedSlots.Shadow shadow : seeds.shadows()) {
                        total = total.add(shadowLoss(shadow, passMasks, labels));
                    }
                }
                List<NDArray> penalties = null;
                List<BoundPlugin> penalising = null;
                // what the penalties create is closed only after backward: an array made from Java values
                // (manager.create) lends its memory to PyTorch, and backward may still read it (a gather's index)
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    for (BoundPlugin s : slots) {
                        if (s.regularizer != null) {
                            NDArray p = call(s, "penalty", () -> s.regularizer.penalty(s.context));
                            if (p != null) {
                                p = checkPenalty(s, p);
                                total = total.add(p);
                                NDArray value = p.stopGradient();
                                NDScope.unregister(value);
                                value.attach(sm);
                                if (penalties == null) {
                                    penalties = new ArrayList<>();
                                    penalising = new ArrayList<>();
                                }
                                penalties.add(value);
                                penalising.add(s);
                            }
                        }
                    }
                    lossValue = total.getFloat();
                    if (!Double.isFinite(lossValue)) {
                        throw diverged(lossValue, penalties, penalising);
                    }
                    collector.backward(total);
                }
            } finally {
                host.collecting(false);
            }
            state.forwardDone(logits, incomingRows, lossValue);

            host.captureGradients(sm);
            try {
                for (BoundPlugin s : slots) {
                    if (s.transform != null) {
                        call(s, "transform", () -> s.transform.transform(s.context));
                    }
                }
                if (!masks.isEmpty()) {
                    for (Map.Entry<String, NDArray> e : masks.entrySet()) {
                        NDArray g = host.parameter(e.getKey()).capturedGradient();
                        if (g != null) {
                            g.muli(e.getValue());
                        }
                    }
                }
                optimizer.step(IsolationVerifier.trainable(host.hostParameters(), frozen));
                // the optimizer's update is what zeroes a gradient; a frozen parameter's must not pile up for the
                // step it is unfrozen (hundreds of steps' gradients applied at once)
                for (HostParameter p : host.hostParameters()) {
                    if (frozen.contains(p.name())) {
                        Engines.zeroGradient(p.array());
                    }
                }
            } finally {
                host.releaseGradients();
            }
            for (BoundPlugin s : slots) {
                call(s, "afterStep", () -> s.plugin.afterStep(s.context));
            }
            isolation.afterStep(state.step);
            if (seeds != null) {
                seeds.endStep(state.taskIndex);
                if ((state.step + 1) % probeEvery == 0) {
                    seeds.actingFor("kernel", state.step + 1, state.taskIndex);
                    seeds.measureAll();
                }
            }
            lastLoss = lossValue;
            structuralActions(false, lossValue);
            if (!listeners.isEmpty()) {
                StepReport report = new StepReport(state.taskIndex, epoch, state.step, stepInTask, stepsInTask,
                        lossValue, incomingRows, replayed);
                for (KernelListener l : listeners) {
                    l.onStep(report);
                }
            }
            state.endStep(true);
        } finally {
            if (state.inStep) {
                state.endStep(false);
            }
        }
    }

    /** Mean softmax cross-entropy; with multiple heads each row over its own task's classes. */
    private NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray scores = multiHead ? logits.add(labels.oneHot(scenario.numClasses()).matMul(headBias)) : logits;
        return scores.logSoftmax(1).gather(labels.reshape(-1, 1), 1).mean().neg();
    }

    /**
     * A training seed's loss: its shadow activation finished by the host's later layers, held constant (BatchNorm
     * on its running statistics), so the gradient reaches the seed only; the host's output, gradients and
     * statistics are those of the network without it.
     */
    private NDArray shadowLoss(SeedSlots.Shadow shadow, ForwardMasks masks, NDArray labels) {
        seeds.pass(SeedSlots.Pass.SHADOW, state.taskIndex);
        try {
            return crossEntropy(host.forwardFrom(shadow.layer(), shadow.activation(), masks), labels);
        } finally {
            seeds.pass(SeedSlots.Pass.EVAL, state.taskIndex);
        }
    }

    private boolean weightsFinite() {
        for (HostParameter p : host.hostParameters()) {
            try (NDArray sum = p.array().sum()) {
                if (!Float.isFinite(sum.getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }

    private RuntimeException blendFailure(BlendSchedule schedule, RuntimeException cause) {
        for (BoundPlugin s : slots) {
            if (s.plugin == schedule) {
                return new PluginFailure(s.active.id(), "alpha", state.taskIndex, state.step, cause);
            }
        }
        return cause;
    }

    private void checkReplay(BoundPlugin s, Batch r, Batch incoming) {
        Shape want = incoming.features().getShape().slice(1);
        Shape got = r.features().getShape().slice(1);
        if (!want.equals(got)) {
            throw new PluginFailure(s.active.id(), "replay", state.taskIndex, state.step,
                    new IllegalArgumentException("replayed features have sample shape " + got + ", the incoming batch "
                            + want));
        }
        if (r.features().getDataType() != incoming.features().getDataType()) {
            throw new PluginFailure(s.active.id(), "replay", state.taskIndex, state.step,
                    new IllegalArgumentException("replayed features are " + r.features().getDataType()
                            + ", the incoming batch " + incoming.features().getDataType()));
        }
    }

    private NDArray checkPenalty(BoundPlugin s, NDArray p) {
        if (p.size() != 1) {
            throw new PluginFailure(s.active.id(), "penalty", state.taskIndex, state.step,
                    new IllegalArgumentException("the penalty must be a scalar, got shape " + p.getShape()));
        }
        NDArray scalar = p.getShape().dimension() == 0 ? p : p.reshape(new Shape());
        // DJL turns float32 into float64 on some scalar operations (a 0-d array divided by a double); the loss is float32
        return scalar.getDataType() == DataType.FLOAT32 ? scalar : scalar.toType(DataType.FLOAT32, false);
    }

    private UserException diverged(double value, List<NDArray> penalties, List<BoundPlugin> penalising) {
        // weights that are no longer finite were made so by the last update: its gradient came through the transforms
        // (checked here, on the failure path, rather than after every transform, which would cost every step)
        List<String> transforms = slots.stream().filter(b -> b.transform != null).map(b -> b.active.id()).toList();
        if (!transforms.isEmpty() && !weightsFinite()) {
            String who = transforms.get(transforms.size() - 1);
            return new PluginFailure(who, "transform", state.taskIndex, state.step, new ArithmeticException(
                    "the weights are NaN or infinite after the last update, whose gradient "
                            + (transforms.size() == 1 ? "this transform" : "the transforms " + String.join(", ", transforms))
                            + " left"));
        }
        if (penalties != null) {
            for (int k = 0; k < penalties.size(); k++) {
                float pv = penalties.get(k).getFloat();
                if (!Float.isFinite(pv)) {
                    return new PluginFailure(penalising.get(k).active.id(), "penalty", state.taskIndex, state.step,
                            new ArithmeticException("its penalty is " + pv));
                }
            }
        }
        String active = plugins.isEmpty() ? "none"
                : plugins.stream().map(ActivePlugin::id).collect(Collectors.joining(", "));
        return new UserException(plugins.isEmpty() ? UserException.BAD_CONFIG : UserException.PLUGIN_FAILED,
                "training loss is " + value + " at task " + state.taskIndex + ", step " + state.step
                        + " (plugins active: " + active + "): the model diverged; lower train.optimizer.lr (now "
                        + learningRate + ") or check the plugins' settings; metrics so far are kept");
    }

    private void applyMasks(BoundPlugin s, Map<String, NDArray> m) {
        for (Map.Entry<String, NDArray> e : m.entrySet()) {
            HostParameter p;
            try {
                p = host.parameter(e.getKey());
            } catch (IllegalArgumentException unknown) {
                throw new PluginFailure(s.active.id(), "prune", state.taskIndex, -1, unknown);
            }
            NDArray mask = e.getValue();
            if (mask == null || !mask.getShape().equals(p.array().getShape())) {
                throw new PluginFailure(s.active.id(), "prune", state.taskIndex, -1,
                        new IllegalArgumentException("the mask of " + p.name() + " has shape "
                                + (mask == null ? "null" : mask.getShape()) + ", the parameter " + p.array().getShape()));
            }
            // a real copy: with the type and device unchanged, toType/toDevice return the plugin's own storage, which
            // the plugin may close or change later (seen as non-reproducible pruning runs)
            NDArray own = mask.duplicate().toType(p.array().getDataType(), false).toDevice(p.array().getDevice(), false);
            own.attach(runManager);
            NDArray previous = masks.get(p.name());
            if (previous != null) {
                own.muli(previous);
                previous.close();
            }
            masks.put(p.name(), own);
            p.array().muli(own);
            optimizer.mask(p.name(), own);
        }
    }

    /**
     * The structural actions: asks every trigger (all of them, so each sees every step), then lets each growth
     * policy change the network through the editor and each pruner prune when its triggers fire
     * ({@link TriggerBinding}: its own {@code when}, or else every trigger no action names). A run without triggers
     * prunes at every task end and never grows.
     */
    private void structuralActions(boolean boundary, double loss) {
        // steps taken: inside a step the current one counts (its index is state.step); at a task end all are done
        long taken = boundary ? state.step : state.step + 1;
        TrainingSignals signals = new Signals(taken, state.taskIndex, boundary, loss, host.parameterCount(),
                seeds == null ? List.of() : seeds.views());
        Map<String, Boolean> fired = new LinkedHashMap<>();
        for (BoundPlugin s : slots) {
            if (s.trigger != null) {
                fired.put(s.active.id(), call(s, "fires", () -> s.trigger.fires(signals)));
            }
        }
        for (BoundPlugin s : slots) {
            if (s.growth != null && binding.acts(s.active.id(), fired, boundary)) {
                growth.actingFor(s.active.id(), taken, state.taskIndex);
                try (NDManager check = runManager.newSubManager()) {
                    Map<String, NDArray> before = isolation.beforeGrowth(check);
                    call(s, "grow", () -> s.growth.grow(s.context, growth));
                    isolation.afterGrowth(before, taken);
                }
            }
        }
        for (BoundPlugin s : slots) {
            if (s.pruner != null && binding.acts(s.active.id(), fired, boundary)) {
                Map<String, NDArray> m = call(s, "prune", () -> s.pruner.prune(s.context));
                if (m != null) {
                    applyMasks(s, m);
                    if (shrink) {
                        growth.actingFor(s.active.id(), taken, state.taskIndex);
                        removeDeadUnits(s);
                    }
                }
            }
        }
    }

    /**
     * Physical shrinking ({@code model.shrink}): a hidden unit whose incoming weights and bias are all masked
     * outputs ReLU(0) = 0 whatever the input (a convolutional channel also needs its BatchNorm scale and shift
     * masked: {@link DeadUnits}), so removing it (and the next layer's inputs from it) leaves the function
     * unchanged.
     */
    private void removeDeadUnits(BoundPlugin s) {
        List<String> layers = host.layers();
        for (int l = 0; l < layers.size() - 1; l++) {
            String layer = layers.get(l);
            int units = growth.width(layer);
            int[] keep = DeadUnits.alive(host, masks, layer);
            if (keep.length == 0) {
                throw new PluginFailure(s.active.id(), "prune", state.taskIndex, state.inStep ? state.step : -1,
                        new IllegalArgumentException("the masks remove every unit of " + layer + "; a layer cannot be"
                                + " emptied"));
            }
            if (keep.length < units) {
                growth.removeUnits(layer, keep);
            }
        }
    }

    /** The signals a trigger sees. */
    private record Signals(long step, int taskIndex, boolean taskBoundary, double loss, long parameterCount,
                           List<SlotView> slots) implements TrainingSignals {
    }

    /**
     * The multi-head loss keeps each row to its own task's classes: an additive bias of 0 on them and -1e9
     * elsewhere (exactly 0 after the softmax, so other heads get no gradient; finite, so no NaN).
     */
    private NDArray headBias(NDManager manager) {
        int classes = scenario.numClasses();
        float[] bias = new float[classes * classes];
        java.util.Arrays.fill(bias, -1e9f);
        boolean[] dealt = new boolean[classes];
        for (TaskInfo task : scenario.tasks()) {
            int[] own = task.classes();
            for (int y : own) {
                dealt[y] = true;
                for (int c : own) {
                    bias[y * classes + c] = 0f;
                }
            }
        }
        for (int y = 0; y < classes; y++) {
            if (!dealt[y]) {
                java.util.Arrays.fill(bias, y * classes, (y + 1) * classes, 0f);
            }
        }
        return manager.create(bias, new Shape(classes, classes));
    }

    private void emitEvaluation(int afterTask, Protocol protocol, double[] accuracies) {
        for (KernelListener l : listeners) {
            l.onEvaluation(afterTask, protocol, accuracies.clone());
        }
    }

    private void metric(String pluginId, String name, double value) {
        Objects.requireNonNull(name, "metric name");
        for (KernelListener l : listeners) {
            l.onPluginMetric(pluginId, name, value, state.step);
        }
    }

    private void closePlugins() {
        if (pluginsClosed) {
            return;
        }
        pluginsClosed = true;
        if (slots == null) {
            for (ActivePlugin p : plugins) {
                closeQuietly(p);
            }
            return;
        }
        for (BoundPlugin s : slots) {
            closeQuietly(s.active);
        }
    }

    private static void closeQuietly(ActivePlugin p) {
        try {
            p.instance().close();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("plugin '{}' failed in close: {}", p.id(), PluginFailure.describe(e), e);
        }
    }

    private long stepsPerEpoch(int samples) {
        return (samples + (long) batchSize - 1) / batchSize;
    }

    private void call(BoundPlugin s, String hook, Runnable body) {
        call(s, hook, () -> {
            body.run();
            return null;
        });
    }

    private <T> T call(BoundPlugin s, String hook, Supplier<T> body) {
        watch.begin(s.active.id(), hook, state.taskIndex, state.inStep ? state.step : -1);
        try {
            return body.get();
        } catch (PluginFailure | VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new PluginFailure(s.active.id(), hook, state.taskIndex, state.inStep ? state.step : -1, e);
        } finally {
            watch.end();
        }
    }

    private static int positive(Integer value, String key) {
        if (value == null || value < 1) {
            throw badConfig(key + " must be at least 1, got " + value);
        }
        return value;
    }

    private static UserException badConfig(String message) {
        return new UserException(UserException.BAD_CONFIG, message);
    }

    /** SplitMix64 finaliser over a seed and a salt. */
    static long mix(long seed, long salt) {
        long z = seed + salt * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A plugin with its context and the contracts it implements, resolved once. */
    private static final class BoundPlugin {
        final ActivePlugin active;
        final Plugin plugin;
        final PluginContext context;
        final Rehearsal rehearsal;
        final Regularizer regularizer;
        final GradientTransform transform;
        final Pruner pruner;
        final TaskMask mask;
        final GrowthPolicy growth;
        final TriggerCondition trigger;
        final RunRandom random;

        BoundPlugin(ActivePlugin active, PluginContext context, RunRandom random) {
            this.random = random;
            this.active = active;
            this.plugin = active.instance();
            this.context = context;
            this.rehearsal = plugin instanceof Rehearsal r ? r : null;
            this.regularizer = plugin instanceof Regularizer r ? r : null;
            this.transform = plugin instanceof GradientTransform g ? g : null;
            this.pruner = plugin instanceof Pruner p ? p : null;
            this.mask = plugin instanceof TaskMask m ? m : null;
            this.growth = plugin instanceof GrowthPolicy g ? g : null;
            this.trigger = plugin instanceof TriggerCondition c ? c : null;
        }
    }
}
