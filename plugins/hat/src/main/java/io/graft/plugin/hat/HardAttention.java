package io.graft.plugin.hat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.RunState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Hard Attention to the Task (Serra, Surís, Miron and Karatzoglou, 2018), and AdaHAT (Wang et al. 2024) with
 * {@link AdaptiveAdjustment} in place of {@link HatClipping}.
 *
 * <p>Every task {@code t} learns one embedding per hidden layer; the layer's outputs are multiplied by the gate
 * {@code σ(s·e_t)} ({@link TaskMask#unitMask}). In training {@code s} is annealed over the task
 * ({@link GateSchedule}) and the gate is in the graph, so backward fills the embeddings' gradients; this plugin
 * compensates them and takes their SGD step itself ({@link TaskEmbeddings#step}). In evaluation the gate is
 * binarised ({@code 1[e > 0]}, the gate at {@code s_max} rounded). At a task's end its binarised gates join the
 * {@link UnitHistory}; from then on the gradients of the units they use are clipped (HAT) or adjusted (AdaHAT),
 * and the loss carries the mask-sparsity penalty ({@link MaskSparsity}) built from the gates of the step's own
 * forward pass (kept from {@code unitMask}, so nothing is recomputed from the embeddings in the penalty scope).
 *
 * <p>Metrics at each task end: {@code capacity} (mean factor on the hidden layers' gradients in the task's last
 * step), {@code used_<layer>} (share of the layer's units some finished task uses) and {@code task_<layer>}
 * (share this task's mask uses); {@code penalty} every {@value #METRIC_EVERY} steps.
 */
final class HardAttention implements TaskMask, GradientTransform, Regularizer, Stateful {

    /** Steps between two recordings of the penalty. */
    static final int METRIC_EVERY = 50;

    private final HatSettings settings;
    private final GradientProtection protection;
    private final RunState run = new RunState();
    private final TaskEmbeddings embeddings = new TaskEmbeddings();
    private final UnitHistory history = new UnitHistory();
    private final TreeSet<Integer> earlierClasses = new TreeSet<>();
    private final Map<String, NDArray> gates = new LinkedHashMap<>();
    private LayerChain chain;
    private NDManager taskManager;
    private MaskSparsity sparsity;
    private int task = -1;
    private long gatesStep = -1;
    private double capacity = Double.NaN;

    /**
     * @param settings the shared settings
     * @param protection HAT's clipping or AdaHAT's adjustment
     */
    HardAttention(HatSettings settings, GradientProtection protection) {
        this.settings = settings;
        this.protection = protection;
    }

    @Override
    public void onRunStart(RunContext context) {
        start(context);
    }

    @Override
    public void onTaskStart(TaskContext context) {
        start(context);
        task = context.task().index();
        if (!embeddings.has(task)) {
            embeddings.create(task, chain, context.random(), run.manager());
        }
        embeddings.trackGradients(task);
        if (taskManager != null) {
            taskManager.close();
        }
        taskManager = run.manager().newSubManager();
        sparsity = new MaskSparsity(history, chain, taskManager);
        protection.prepare(chain, history, Collections.unmodifiableSet(earlierClasses), taskManager);
        capacity = Double.NaN;
        gates.clear();
    }

    @Override
    public NDArray unitMask(String layer, int width, MaskQuery query) {
        int t = query.task().index();
        if (embeddings.get(t, layer) == null) {
            // no gate learnt for this task yet (evaluation before its training): the plain layer
            return null;
        }
        if (!query.training()) {
            NDArray kept = history.mask(t, layer);
            return kept != null ? kept : embeddings.binary(t, layer, query.manager());
        }
        if (query.stepInTask() != gatesStep) {
            gates.clear();
            gatesStep = query.stepInTask();
        }
        double s = GateSchedule.slope(query.stepInTask(), query.taskSteps(), settings.sMax());
        NDArray gate = embeddings.gate(t, layer, s, query.manager());
        gates.put(layer, gate);
        return gate;
    }

    @Override
    public NDArray penalty(StepContext step) {
        if (sparsity == null || gates.isEmpty() || gatesStep != step.stepInTask() || settings.c() == 0) {
            return null;
        }
        NDArray p = sparsity.penalty(gates, settings.c());
        run.recordPenalty(step, p, METRIC_EVERY);
        return p;
    }

    @Override
    public void transform(StepContext step) {
        start(step);
        NDManager sm = step.stepManager();
        double s = GateSchedule.slope(step.stepInTask(), step.taskSteps(), settings.sMax());
        embeddings.step(task, s, settings, sm);
        Map<String, NDArray> layerSparsity = protection.needsSparsity() && gatesStep == step.stepInTask()
                ? sparsity.perLayer(gates, sm) : Map.of();
        protection.apply(step.model(), layerSparsity, sm);
        if (step.stepInTask() == step.taskSteps() - 1) {
            capacity = protection.capacity(layerSparsity, sm);
        }
    }

    @Override
    public void afterStep(StepContext step) {
        // the gates belong to the step's manager, closed when the step ends
        gates.clear();
        gatesStep = -1;
    }

    @Override
    public void onTaskEnd(TaskContext context) {
        start(context);
        int t = context.task().index();
        Map<String, NDArray> binary = new LinkedHashMap<>();
        for (LayerChain.Layer l : chain.hidden()) {
            binary.put(l.name(), embeddings.binary(t, l.name(), run.manager()));
        }
        MetricSink metrics = run.metrics();
        if (metrics != null) {
            if (!Double.isNaN(capacity)) {
                metrics.record("capacity", capacity);
            }
            for (Map.Entry<String, NDArray> e : binary.entrySet()) {
                metrics.record("task_" + e.getKey(), mean(e.getValue().toFloatArray()));
            }
        }
        history.finish(t, binary);
        for (int c : context.task().classes()) {
            earlierClasses.add(c);
        }
        if (metrics != null) {
            for (LayerChain.Layer l : chain.hidden()) {
                metrics.record("used_" + l.name(), mean(history.cumulative(l.name())));
            }
        }
    }

    @Override
    public String stateFormat() {
        return "hat-1";
    }

    @Override
    public void saveState(StateWriter out) {
        embeddings.save(out, "embedding.");
        history.save(out, "mask.");
        out.putString("earlierClasses", earlierClasses.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    @Override
    public void restoreState(StateReader in) {
        NDManager target = run.restoreTarget();
        embeddings.load(in, "embedding.", target);
        history.load(in, "mask.", target);
        earlierClasses.clear();
        String classes = in.getString("earlierClasses");
        for (String c : classes.isEmpty() ? new String[0] : classes.split(",")) {
            earlierClasses.add(Integer.parseInt(c));
        }
        if (chain != null) {
            history.cover(chain);
        }
    }

    @Override
    public void close() {
        gates.clear();
        embeddings.close();
        history.close();
        if (taskManager != null) {
            taskManager.close();
            taskManager = null;
        }
        run.close();
    }

    /** @return the task embeddings (tests) */
    TaskEmbeddings embeddings() {
        return embeddings;
    }

    /** @return the finished tasks' masks (tests) */
    UnitHistory history() {
        return history;
    }

    /** @return the capacity measured in the latest task's last step, or NaN */
    double capacity() {
        return capacity;
    }

    private void start(RunContext context) {
        run.start(context, m -> {
            embeddings.moveTo(m);
            history.moveTo(m);
        });
        if (chain == null) {
            chain = LayerChain.of(context.model());
            history.cover(chain);
        }
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return a.length == 0 ? 0 : s / a.length;
    }
}
