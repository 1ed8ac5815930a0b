package io.graft.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.Batch;
import io.graft.api.model.Parameter;
import io.graft.api.regularization.Regularizer;
import io.graft.api.rehearsal.Rehearsal;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.runtime.kernel.ActivePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Two small plugins with the cost profile of EWC and experience replay, for {@link KernelBenchmark} until the
 * registry supplies the real ones: an importance-weighted L2 anchor ({@code λ/2 Σ F·(θ−θ*)²} with a constant
 * importance {@code F}, anchored at every task start) and a reservoir replay buffer that appends one batch of
 * remembered samples to every step. Benchmark stand-ins, not algorithms to run experiments with.
 */
public final class DemoPlugins {

    private DemoPlugins() {}

    /** @return fresh instances: {@code anchor} then {@code reservoir} */
    public static List<ActivePlugin> create() {
        return create("both");
    }

    /**
     * @param which {@code anchor}, {@code reservoir} or {@code both}
     * @return fresh instances of those plugins
     */
    public static List<ActivePlugin> create(String which) {
        ActivePlugin anchor = new ActivePlugin("anchor", "bench", new Anchor(1.0f));
        ActivePlugin reservoir = new ActivePlugin("reservoir", "bench", new Reservoir(1000, 32));
        return switch (which) {
            case "anchor" -> List.of(anchor);
            case "reservoir" -> List.of(reservoir);
            case "both" -> List.of(anchor, reservoir);
            default -> throw new IllegalArgumentException("demo plugins are anchor, reservoir or both, not " + which);
        };
    }

    /** {@code λ/2 Σ F·(θ−θ*)²} with {@code F = 1}, anchored at each task start. */
    static final class Anchor implements Regularizer {
        private final float lambda;
        private final List<NDArray> anchors = new ArrayList<>();
        private final List<NDArray> importance = new ArrayList<>();
        private NDManager own;

        Anchor(float lambda) {
            this.lambda = lambda;
        }

        @Override
        public void onRunStart(RunContext run) {
            own = run.manager().newSubManager();
        }

        @Override
        public void onTaskStart(TaskContext task) {
            anchors.forEach(NDArray::close);
            anchors.clear();
            importance.forEach(NDArray::close);
            importance.clear();
            for (Parameter p : task.model().parameters()) {
                NDArray a = p.array().duplicate();
                a.attach(own);
                anchors.add(a);
                importance.add(own.ones(p.array().getShape()));
            }
        }

        @Override
        public NDArray penalty(StepContext step) {
            List<Parameter> params = step.model().parameters();
            NDArray sum = null;
            for (int i = 0; i < params.size(); i++) {
                NDArray d = params.get(i).array().sub(anchors.get(i));
                NDArray term = d.mul(d).mul(importance.get(i)).sum();
                sum = sum == null ? term : sum.add(term);
            }
            return sum.mul(lambda / 2);
        }

        @Override
        public void close() {
            if (own != null) {
                own.close();
            }
        }
    }

    /** Reservoir sampling over every incoming sample; replays {@code replay} remembered samples per step. */
    static final class Reservoir implements Rehearsal {
        private final int capacity;
        private final int replay;
        private float[] features;
        private long[] labels;
        private int width;
        private int filled;
        private long seen;
        private Random random;

        Reservoir(int capacity, int replay) {
            this.capacity = capacity;
            this.replay = replay;
        }

        @Override
        public void onRunStart(RunContext run) {
            random = run.random();
        }

        @Override
        public Batch replay(StepContext step) {
            if (filled == 0) {
                return null;
            }
            int n = Math.min(replay, filled);
            float[] x = new float[n * width];
            long[] y = new long[n];
            for (int k = 0; k < n; k++) {
                int s = random.nextInt(filled);
                System.arraycopy(features, s * width, x, k * width, width);
                y[k] = labels[s];
            }
            NDManager m = step.stepManager();
            return new Batch(m.create(x, new Shape(n, width)), m.create(y), m.zeros(new Shape(n), DataType.INT64));
        }

        @Override
        public void afterStep(StepContext step) {
            Batch b = step.batch();
            float[] x = b.features().toFloatArray();
            long[] y = b.labels().toLongArray();
            int n = y.length;
            if (features == null) {
                width = x.length / n;
                features = new float[capacity * width];
                labels = new long[capacity];
            }
            for (int k = 0; k < n; k++) {
                seen++;
                int slot;
                if (filled < capacity) {
                    slot = filled++;
                } else {
                    long r = (long) (random.nextDouble() * seen);
                    if (r >= capacity) {
                        continue;
                    }
                    slot = (int) r;
                }
                System.arraycopy(x, k * width, features, slot * width, width);
                labels[slot] = y[k];
            }
        }
    }
}
