package io.graft.plugin.agem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.GradientVectors;
import io.graft.plugin.support.HostArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Averaged Gradient Episodic Memory (Chaudhry, Ranzato, Rohrbach and Elhoseiny, 2019).
 *
 * <p>At the end of every task a random sample of its training data joins an {@link EpisodicMemory} (the
 * capacity split equally among the finished tasks). From the second task on, every step draws
 * {@code sampleSize} remembered samples, computes the reference gradient {@code g_ref} of their mean softmax
 * cross-entropy (over all outputs, with their own labels) with {@link ModelView#gradients}, and, when the
 * step's gradient {@code g} points against it ({@code g·g_ref < 0}, all parameters taken as one vector),
 * replaces {@code g} in place by its projection {@code g − (g·g_ref / g_ref·g_ref)·g_ref} (see
 * {@link Projection}).
 *
 * <p>The memory is kept on the host and mirrored once per task into device arrays of the run's state, from
 * which each step's reference batch is gathered. Metrics: {@code projection_rate} (share of the task's steps
 * so far that projected) every 50 steps, and at each task end {@code projections} and {@code projection_rate}
 * of the task and {@code memory_size}.
 */
final class AveragedGem implements GradientTransform, Stateful {

    /** Steps between two recordings of the projection rate. */
    static final int METRIC_EVERY = 50;

    private final AgemSettings settings;
    private final EpisodicMemory memory;
    private DataType featureType = DataType.FLOAT32;
    private NDManager state;
    private NDArray memoryFeatures;
    private NDArray memoryLabels;
    private int[] pool;
    private Random random;
    private MetricSink metrics;
    private long checked;
    private long projected;
    private Projection.Outcome last;

    AveragedGem(AgemSettings settings) {
        this.settings = settings;
        this.memory = new EpisodicMemory(settings.memorySize());
    }

    @Override
    public void onRunStart(RunContext run) {
        start(run);
    }

    @Override
    public void onTaskStart(TaskContext task) {
        start(task);
        checked = 0;
        projected = 0;
    }

    @Override
    public void transform(StepContext step) {
        start(step);
        int filled = memory.size();
        if (filled == 0) {
            return;
        }
        mirror();
        NDManager sm = step.stepManager();
        int k = Math.min(settings.sampleSize(), filled);
        NDArray features = memoryFeatures;
        NDArray labels = memoryLabels;
        if (k < filled) {
            NDArray rows = sm.create(draw(k));
            features = memoryFeatures.get(rows);
            features.attach(sm);
            labels = memoryLabels.get(rows);
            labels.attach(sm);
        }
        NDArray targets = labels.reshape(-1, 1);
        targets.attach(sm);
        ModelView model = step.model();
        Map<String, NDArray> reference = GradientVectors.reference(model, features, targets, sm);
        List<NDArray> g = new ArrayList<>();
        List<NDArray> r = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            NDArray ref = reference.get(p.name());
            NDArray grad = p.gradient();
            if (ref != null && ref.getShape().equals(grad.getShape())) {
                g.add(grad);
                r.add(ref);
            }
        }
        last = Projection.project(g, r, sm);
        checked++;
        if (last.projected()) {
            projected++;
        }
        if (metrics != null && step.step() % METRIC_EVERY == 0) {
            metrics.record("projection_rate", (double) projected / checked);
        }
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        start(task);
        if (metrics != null && checked > 0) {
            metrics.record("projections", projected);
            metrics.record("projection_rate", (double) projected / checked);
        }
        int n = Math.min(memory.shareOfNext(), task.data().size());
        if (n == 0) {
            return;
        }
        featureType = memory.addDrawn(task, n, random);
        invalidate();
        if (metrics != null) {
            metrics.record("memory_size", memory.size());
        }
    }

    /** @return the memory */
    EpisodicMemory memory() {
        return memory;
    }

    /** @return what the latest step's projection saw, or {@code null} before the first */
    Projection.Outcome lastOutcome() {
        return last;
    }

    /** @return steps of the current task whose gradient was checked, and of those, projected */
    long[] counts() {
        return new long[] {checked, projected};
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("capacity", memory.capacity());
        out.putString("featureType", featureType.name());
        memory.saveTo(out);
    }

    @Override
    public void restoreState(StateReader in) {
        featureType = DataType.valueOf(in.getString("featureType"));
        memory.restoreFrom(in);
        invalidate();
    }

    @Override
    public void close() {
        invalidate();
        if (state != null) {
            state.close();
            state = null;
        }
    }

    private void start(RunContext run) {
        if (random == null) {
            random = run.random();
        }
        if (metrics == null) {
            metrics = run.metrics();
        }
        if (state == null) {
            state = run.manager().newSubManager();
        }
    }

    /** Copies the host memory into device arrays once after every change. */
    private void mirror() {
        if (memoryFeatures != null) {
            return;
        }
        long[] dims = HostArrays.dims(memory.size(), memory.sampleShape());
        NDArray features = state.create(memory.allFeatures(), new Shape(dims));
        if (featureType != DataType.FLOAT32) {
            NDArray typed = features.toType(featureType, false);
            features.close();
            features = typed;
        }
        memoryFeatures = features;
        memoryLabels = state.create(memory.allLabels());
        pool = new int[memory.size()];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = i;
        }
    }

    private void invalidate() {
        if (memoryFeatures != null) {
            memoryFeatures.close();
            memoryLabels.close();
            memoryFeatures = null;
            memoryLabels = null;
        }
    }

    /** Draws {@code k} distinct memory rows (a partial Fisher–Yates shuffle over a kept pool). */
    private long[] draw(int k) {
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            out[i] = pool[i];
        }
        return out;
    }
}
