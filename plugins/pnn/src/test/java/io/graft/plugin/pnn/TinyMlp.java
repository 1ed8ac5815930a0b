package io.graft.plugin.pnn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A test double of the MLP host with two hidden layers ({@code fc1, fc2, out}, ReLU between), on real DJL
 * arrays: the forward pass multiplies each parameter by the {@link TaskMask}'s weight mask as the kernel does,
 * {@link #train} takes one plain SGD step (momentum 0) on the multi-head loss, calling the plugin's gradient
 * transform between backward and the update.
 */
final class TinyMlp implements ModelView {

    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();

    /**
     * @param manager owner of the parameters
     * @param inputs input values
     * @param h1 width of fc1
     * @param h2 width of fc2
     * @param outputs logits
     * @param seed initialisation seed
     */
    TinyMlp(NDManager manager, int inputs, int h1, int h2, int outputs, long seed) {
        this.manager = manager;
        Random random = new Random(seed);
        int[][] shapes = {{h1, inputs}, {h2, h1}, {outputs, h2}};
        String[] names = {"fc1", "fc2", "out"};
        for (int l = 0; l < 3; l++) {
            add(names[l] + ".weight", uniform(random, new Shape(shapes[l][0], shapes[l][1])));
            add(names[l] + ".bias", uniform(random, new Shape(shapes[l][0])));
        }
    }

    private NDArray uniform(Random random, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return manager.create(v, shape);
    }

    private void add(String name, NDArray array) {
        array.setRequiresGradient(true);
        parameters.add(new Parameter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray array() {
                return array;
            }

            @Override
            public NDArray gradient() {
                return array.getGradient();
            }
        });
    }

    /**
     * The forward pass for one task, weights masked by the plugin (none when it is {@code null}).
     *
     * @param x inputs {@code (n, inputs)}, in a manager the caller closes
     * @param mask the masking plugin, or null
     * @param task the task whose masks apply
     * @param training whether the query says training
     * @return logits
     */
    NDArray forward(NDArray x, TaskMask mask, TaskInfo task, boolean training) {
        MaskQuery query = new Query(task, training, x.getManager());
        NDArray h = x;
        for (int l = 0; l < 3; l++) {
            NDArray w = masked(parameters.get(2 * l), mask, query);
            NDArray b = masked(parameters.get(2 * l + 1), mask, query);
            h = h.matMul(w.transpose()).add(b);
            if (l < 2) {
                h = Activation.relu(h);
            }
        }
        return h;
    }

    private static NDArray masked(Parameter p, TaskMask mask, MaskQuery query) {
        NDArray m = mask == null ? null : mask.weightMask(p, query);
        return m == null ? p.array() : p.array().mul(m);
    }

    /**
     * Task-IL predictions' raw material: the logits of the task's classes.
     *
     * @param x inputs
     * @param mask the masking plugin
     * @param task the task
     * @return the logits of the task's classes, row-major
     */
    float[] taskLogits(float[][] x, TaskMask mask, TaskInfo task) {
        try (NDManager scratch = manager.newSubManager()) {
            float[] logits = forward(scratch.create(x), mask, task, false).toFloatArray();
            int[] classes = task.classes();
            int outputs = outputs();
            float[] own = new float[x.length * classes.length];
            for (int n = 0; n < x.length; n++) {
                for (int i = 0; i < classes.length; i++) {
                    own[n * classes.length + i] = logits[n * outputs + classes[i]];
                }
            }
            return own;
        }
    }

    /** Fills the gradients as a backward pass of {@code Σ p·1} would: every entry 1. */
    void onesGradients() {
        try (NDManager scratch = manager.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            for (Parameter p : parameters) {
                NDArray s = p.array().sum();
                s.attach(scratch);
                total = total == null ? s : total.add(s);
            }
            gc.backward(total);
        }
    }

    /**
     * One SGD step on the cross-entropy of the task's own classes (the multi-head loss).
     *
     * @param x inputs
     * @param y labels, classes of {@code task}
     * @param mask the masking plugin, or null
     * @param freeze called between backward and the update (the plugin's transform), or null
     * @param task the task in training
     * @param lr learning rate
     */
    void train(float[][] x, long[] y, TaskMask mask, Runnable freeze, TaskInfo task, float lr) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray features = scratch.create(x);
            float[] headBias = new float[outputs()];
            java.util.Arrays.fill(headBias, -1e9f);
            for (int c : task.classes()) {
                headBias[c] = 0f;
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = forward(features, mask, task, true).add(scratch.create(headBias));
                NDArray loss = logits.logSoftmax(1).gather(scratch.create(y).reshape(-1, 1), 1).mean().neg();
                gc.backward(loss);
            }
            if (freeze != null) {
                freeze.run();
            }
            for (Parameter p : parameters) {
                NDArray g = p.array().getGradient();
                g.attach(scratch);
                NDArray step = g.mul(lr);
                p.array().subi(step);
                g.subi(g);
            }
        }
    }

    /** @return every parameter's values, by parameter order, copied */
    float[][] values() {
        float[][] v = new float[parameters.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = parameters.get(i).array().toFloatArray();
        }
        return v;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    @Override
    public long parameterCount() {
        return parameters.stream().mapToLong(p -> p.array().size()).sum();
    }

    @Override
    public int outputs() {
        return Math.toIntExact(parameter("out.weight").array().getShape().get(0));
    }

    @Override
    public NDArray predict(NDArray features) {
        throw new UnsupportedOperationException("not needed by the column plugins");
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager out) {
        throw new UnsupportedOperationException("not needed by the column plugins");
    }

    @Override
    public ModelView snapshot(NDManager target) {
        throw new UnsupportedOperationException("not needed by the column plugins");
    }

    private record Query(TaskInfo task, boolean training, NDManager manager) implements MaskQuery {
        @Override
        public long stepInTask() {
            return training ? 0 : -1;
        }

        @Override
        public long taskSteps() {
            return training ? 1 : -1;
        }
    }
}
