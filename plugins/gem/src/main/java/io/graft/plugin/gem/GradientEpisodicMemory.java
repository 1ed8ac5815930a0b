package io.graft.plugin.gem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
 * Gradient Episodic Memory (Lopez-Paz and Ranzato, 2017).
 *
 * <p>At the end of every task {@code memoryPerTask} samples of its training data, drawn at random, become that
 * task's slice of an {@link EpisodicMemory}. From the second task on, every step computes, for each earlier task
 * {@code k}, the gradient {@code g_k} of the mean softmax cross-entropy of its memory (over all outputs, with its
 * own labels) with {@link ModelView#gradients}. All parameters are taken as one vector. If the step's gradient
 * {@code g} opposes any of them ({@code g·g_k < 0}), it is replaced in place by {@code g̃ = g + Gᵀv}, with
 * {@code v} the exact optimum of the dual quadratic program {@code min ½vᵀGGᵀv + gᵀGᵀv, v >= margin} (see
 * {@link DualQp}); then {@code g̃·g_k >= 0} for every {@code k}. Only {@code GGᵀ} and {@code Gg} come back to
 * the host; the update {@code Gᵀv} is formed on the device.
 *
 * <p>The memory is kept on the host and mirrored once per change into device arrays of the run's state.
 * Metrics: {@code projection_rate} (share of the task's steps so far that projected) every 50 steps, and at each
 * task end the task's {@code projections}, {@code projection_rate} and {@code active_constraints} (the mean
 * number of constraints held with equality over the projected steps), and {@code memory_size}.
 */
final class GradientEpisodicMemory implements GradientTransform, Stateful {

    /** Steps between two recordings of the projection rate. */
    static final int METRIC_EVERY = 50;

    /**
     * What one step saw.
     *
     * @param dots {@code g·g_k} before the projection, per earlier task
     * @param gram {@code g_i·g_j}
     * @param v the dual solution, or {@code null} if nothing was projected
     * @param active constraints held with equality after the projection
     */
    record Outcome(double[] dots, double[][] gram, double[] v, int active) {
        boolean projected() {
            return v != null;
        }
    }

    private final GemSettings settings;
    private final EpisodicMemory memory = new EpisodicMemory();
    private DataType featureType = DataType.FLOAT32;
    private NDManager state;
    private final List<NDArray> memoryFeatures = new ArrayList<>();
    private final List<NDArray> memoryTargets = new ArrayList<>();
    private Random random;
    private MetricSink metrics;
    private long checked;
    private long projected;
    private long activeSum;
    private Outcome last;

    GradientEpisodicMemory(GemSettings settings) {
        this.settings = settings;
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
        activeSum = 0;
    }

    @Override
    public void transform(StepContext step) {
        start(step);
        if (memory.slices().isEmpty()) {
            return;
        }
        mirror();
        NDManager sm = step.stepManager();
        ModelView model = step.model();
        int t = memoryFeatures.size();
        List<Map<String, NDArray>> references = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            NDArray targets = memoryTargets.get(k);
            references.add(GradientVectors.reference(model, memoryFeatures.get(k), targets, sm));
        }
        // per parameter: its memory gradients as the rows of R (t × n) and its step gradient
        List<NDArray> gradients = new ArrayList<>();
        List<NDArray> rows = new ArrayList<>();
        NDArray gram = null;
        NDArray dots = null;
        for (Parameter p : model.parameters()) {
            NDArray grad = p.gradient();
            NDList parts = new NDList(t);
            for (Map<String, NDArray> reference : references) {
                NDArray r = reference.get(p.name());
                if (r == null || !r.getShape().equals(grad.getShape())) {
                    break;
                }
                NDArray flat = r.reshape(-1);
                flat.attach(sm);
                parts.add(flat);
            }
            if (parts.size() != t) {
                continue; // not a parameter every memory gradient covers
            }
            NDArray r = NDArrays.stack(parts);
            r.attach(sm);
            NDArray g = grad.reshape(-1, 1);
            g.attach(sm);
            NDArray partGram = r.matMul(r.transpose());
            partGram.attach(sm);
            NDArray partDots = r.matMul(g).reshape(-1);
            partDots.attach(sm);
            gram = gram == null ? partGram : gram.add(partGram);
            dots = dots == null ? partDots : dots.add(partDots);
            gradients.add(grad);
            rows.add(r);
        }
        if (gram == null) {
            return;
        }
        NDArray both = NDArrays.concat(new NDList(gram.reshape(-1), dots)); // one read-back, one device sync
        both.attach(sm);
        NDArray wide = both.toType(DataType.FLOAT64, false);
        wide.attach(sm);
        double[] values = wide.toDoubleArray();
        double[][] p = new double[t][t];
        double[] q = new double[t];
        boolean opposed = false;
        for (int i = 0; i < t; i++) {
            System.arraycopy(values, i * t, p[i], 0, t);
            q[i] = values[t * t + i];
            opposed |= q[i] < 0;
        }
        checked++;
        if (!opposed) {
            last = new Outcome(q, p, null, 0);
        } else {
            DualQp.Solution solution = DualQp.solve(p, q, settings.margin());
            float[] v = new float[t];
            for (int k = 0; k < t; k++) {
                v[k] = (float) solution.v()[k];
            }
            NDArray weights = sm.create(v, new Shape(1, t));
            for (int i = 0; i < gradients.size(); i++) {
                NDArray grad = gradients.get(i);
                NDArray update = weights.matMul(rows.get(i)).reshape(grad.getShape());
                update.attach(sm);
                grad.addi(update.toType(grad.getDataType(), false));
            }
            projected++;
            activeSum += solution.activeCount();
            last = new Outcome(q, p, solution.v(), solution.activeCount());
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
            if (projected > 0) {
                metrics.record("active_constraints", (double) activeSum / projected);
            }
        }
        int n = Math.min(settings.memoryPerTask(), task.data().size());
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

    /** @return what the latest step saw, or {@code null} before the first step with a memory */
    Outcome lastOutcome() {
        return last;
    }

    /** @return steps of the current task whose gradient was checked, and of those, projected */
    long[] counts() {
        return new long[] {checked, projected};
    }

    @Override
    public void saveState(StateWriter out) {
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

    /** Copies each task's host memory into device arrays once after every change. */
    private void mirror() {
        if (!memoryFeatures.isEmpty()) {
            return;
        }
        long[] shape = memory.sampleShape();
        for (EpisodicMemory.Slice s : memory.slices()) {
            NDArray features = state.create(s.features(), new Shape(HostArrays.dims(s.rows(), shape)));
            if (featureType != DataType.FLOAT32) {
                NDArray typed = features.toType(featureType, false);
                features.close();
                features = typed;
            }
            memoryFeatures.add(features);
            memoryTargets.add(state.create(s.labels(), new Shape(s.rows(), 1)));
        }
    }

    private void invalidate() {
        for (NDArray a : memoryFeatures) {
            a.close();
        }
        for (NDArray a : memoryTargets) {
            a.close();
        }
        memoryFeatures.clear();
        memoryTargets.clear();
    }
}
