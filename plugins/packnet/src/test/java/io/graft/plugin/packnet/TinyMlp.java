package io.graft.plugin.packnet;

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
 * A one-hidden-layer perceptron named like the host ({@code fc1.weight}, {@code fc1.bias}, {@code out.weight},
 * {@code out.bias}) on real DJL arrays, with the kernel's training step in miniature: forward with the masks of
 * a {@link TaskMask}, the multi-head loss (a row's loss over its own task's classes), backward, the plugin's
 * gradient transform, plain SGD, then {@code afterStep}.
 */
final class TinyMlp implements ModelView {

    private final NDManager manager;
    private final List<Parameter> parameters = new ArrayList<>();

    /**
     * @param manager owner of the parameters
     * @param inputs values per sample
     * @param hidden hidden units
     * @param outputs logits
     * @param seed seed of the initial weights, uniform in (-1, 1)
     */
    TinyMlp(NDManager manager, int inputs, int hidden, int outputs, long seed) {
        this.manager = manager;
        Random random = new Random(seed);
        add("fc1.weight", uniform(random, new Shape(hidden, inputs)));
        add("fc1.bias", uniform(random, new Shape(hidden)));
        add("out.weight", uniform(random, new Shape(outputs, hidden)));
        add("out.bias", uniform(random, new Shape(outputs)));
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
     * The forward pass with the masks a plugin gives for a query.
     *
     * @param x inputs
     * @param plugin the masking plugin
     * @param query the task and phase
     * @return logits
     */
    NDArray forward(NDArray x, TaskMask plugin, MaskQuery query) {
        NDArray w1 = masked("fc1.weight", plugin, query);
        NDArray b1 = masked("fc1.bias", plugin, query);
        NDArray w2 = masked("out.weight", plugin, query);
        NDArray b2 = masked("out.bias", plugin, query);
        NDArray h = Activation.relu(x.matMul(w1.transpose()).add(b1));
        return h.matMul(w2.transpose()).add(b2);
    }

    private NDArray masked(String name, TaskMask plugin, MaskQuery query) {
        Parameter p = parameter(name);
        NDArray m = plugin.weightMask(p, query);
        return m == null ? p.array() : p.array().mul(m);
    }

    /**
     * One training step of the kernel, in miniature.
     *
     * @param plugin the plugin under test
     * @param step the step's context (task, step in task, task steps, model, step manager)
     * @param x inputs
     * @param y labels, among the task's classes
     * @param lr the learning rate
     * @param gradients filled with each parameter's gradient as the optimizer saw it (after the transform)
     */
    void train(PackNet plugin, io.graft.api.train.StepContext step, float[][] x, long[] y, float lr,
               Map<String, float[]> gradients) {
        NDManager sm = step.stepManager();
        TaskInfo task = step.task();
        MaskQuery query = new Query(task, true, step.stepInTask(), step.taskSteps(), sm);
        NDArray features = sm.create(x);
        float[] others = new float[outputs()];
        java.util.Arrays.fill(others, -1e9f);
        for (int c : task.classes()) {
            others[c] = 0f;
        }
        NDArray headBias = sm.create(others);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = forward(features, plugin, query).add(headBias);
            NDArray loss = logits.logSoftmax(1).gather(sm.create(y).reshape(-1, 1), 1).mean().neg();
            gc.backward(loss);
        }
        plugin.transform(step);
        for (Parameter p : parameters) {
            NDArray g = p.gradient();
            g.attach(sm);
            gradients.put(p.name(), g.toFloatArray());
            NDArray delta = g.mul(lr);
            p.array().subi(delta);
            g.muli(0);
        }
        plugin.afterStep(step);
    }

    /**
     * @param plugin the masking plugin
     * @param task the task whose masks apply
     * @param x inputs
     * @param manager owner of the logits
     * @return the evaluation logits of a task
     */
    float[] evaluate(PackNet plugin, TaskInfo task, float[][] x, NDManager manager) {
        return forward(manager.create(x), plugin, new Query(task, false, -1, -1, manager)).toFloatArray();
    }

    /**
     * @param name a parameter
     * @return its current values
     */
    float[] values(String name) {
        return parameter(name).array().toFloatArray();
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
        return Math.toIntExact(parameter("out.bias").array().size());
    }

    @Override
    public NDArray predict(NDArray features) {
        throw new UnsupportedOperationException("not needed by PackNet");
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager out) {
        throw new UnsupportedOperationException("not needed by PackNet");
    }

    @Override
    public ModelView snapshot(NDManager target) {
        throw new UnsupportedOperationException("not needed by PackNet");
    }

    /** The kernel's mask query, as a value. */
    record Query(TaskInfo task, boolean training, long stepInTask, long taskSteps, NDManager manager)
            implements MaskQuery {
    }
}
