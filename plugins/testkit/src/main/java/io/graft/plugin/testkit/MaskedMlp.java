package io.graft.plugin.testkit;

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
import io.graft.api.train.StepContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A small multilayer perceptron on real DJL arrays, as a test double of the kernel's MLP host for
 * {@link TaskMask} plugins: hidden layers {@code fc1..fcN} (ReLU after each) and the head {@code out}, with
 * parameters named and shaped as the host names them, in this order: {@code fc1.weight (out, in)},
 * {@code fc1.bias (out)}, ..., {@code out.weight (outputs, last hidden)}, {@code out.bias (outputs)}.
 *
 * <p>{@link #forward} masks the network as the kernel does: each parameter multiplied by the plugin's
 * {@link TaskMask#weightMask weight mask} before use, each hidden layer's outputs multiplied by its
 * {@link TaskMask#unitMask unit mask} after the ReLU (never the head's), {@code null} leaving that part as it is,
 * and a mask of the wrong shape refused. {@link #train} is the kernel's training step in miniature: forward with
 * the masks of a training query, the multi-head loss (each row's cross-entropy over its own task's classes),
 * backward, a gradient-transform hook (the plugin's {@code GradientTransform.transform}), plain SGD (momentum 0),
 * gradients zeroed. A plugin's {@code afterStep} is the caller's to call after it.
 *
 * <p>Like the host, {@link Parameter#gradient()} is the live gradient, editable in place; {@link #setGradients}
 * and {@link #onesGradients} fill it as a backward pass would. {@link #predict} and {@link #gradients} run the
 * network without masks (a test double has no current task), {@link #gradients} without touching the live
 * gradients.
 */
public final class MaskedMlp extends LiveModelView {

    private final int layers;

    /**
     * A network with initial values uniform in (-1, 1), drawn from {@code new Random(seed)} parameter by
     * parameter in the order above, row-major.
     *
     * @param manager owner of the parameters (the "model manager")
     * @param inputs values per sample
     * @param hidden widths of {@code fc1..fcN}, at least one
     * @param outputs logits
     * @param seed seed of the initial values
     */
    public MaskedMlp(NDManager manager, int inputs, int[] hidden, int outputs, long seed) {
        super(manager);
        if (hidden.length == 0) {
            throw new IllegalArgumentException("at least one hidden layer");
        }
        this.layers = hidden.length + 1;
        Random random = new Random(seed);
        int in = inputs;
        for (int l = 0; l < layers; l++) {
            int out = l < hidden.length ? hidden[l] : outputs;
            String name = layerName(l);
            add(name + ".weight", uniform(random, new Shape(out, in)));
            add(name + ".bias", uniform(random, new Shape(out)));
            in = out;
        }
    }

    private MaskedMlp(NDManager manager, MaskedMlp source) {
        super(manager);
        this.layers = source.layers;
        for (Parameter p : source.parameters()) {
            NDArray detached = p.array().stopGradient();
            NDArray copy = detached.duplicate();
            detached.close();
            copy.attach(manager);
            add(p.name(), copy);
        }
    }

    private String layerName(int l) {
        return l == layers - 1 ? "out" : "fc" + (l + 1);
    }

    private NDArray uniform(Random random, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return manager().create(v, shape);
    }

    /**
     * The forward pass with the masks a plugin gives for a query, as the kernel runs it.
     *
     * @param x inputs {@code (n, inputs)}; results belong to its manager
     * @param mask the masking plugin, or {@code null} for none
     * @param query the task and phase the masks are asked for
     * @return logits {@code (n, outputs)}
     */
    public NDArray forward(NDArray x, TaskMask mask, MaskQuery query) {
        NDArray h = x;
        for (int l = 0; l < layers; l++) {
            NDArray w = masked(parameter(layerName(l) + ".weight"), mask, query, x.getManager());
            NDArray b = masked(parameter(layerName(l) + ".bias"), mask, query, x.getManager());
            h = h.matMul(w.transpose()).add(b);
            if (l < layers - 1) {
                h = Activation.relu(h);
                int width = Math.toIntExact(b.getShape().get(0));
                NDArray units = mask == null ? null : mask.unitMask(layerName(l), width, query);
                if (units != null) {
                    checkShape("unitMask of " + layerName(l), units, new Shape(width));
                    h = h.mul(units);
                }
            }
        }
        return h;
    }

    private static NDArray masked(Parameter p, TaskMask mask, MaskQuery query, NDManager pass) {
        NDArray m = mask == null ? null : mask.weightMask(p, query);
        if (m == null) {
            return p.array();
        }
        checkShape("weightMask of " + p.name(), m, p.array().getShape());
        // the product would belong to the parameter's manager and pile up there, one per pass (as in the kernel)
        NDArray product = p.array().mul(m);
        product.attach(pass);
        return product;
    }

    private static void checkShape(String what, NDArray mask, Shape expected) {
        if (!mask.getShape().equals(expected)) {
            throw new IllegalArgumentException(what + ": the mask has shape " + mask.getShape() + ", expected "
                    + expected);
        }
    }

    /**
     * One training step of the kernel, in miniature: forward with the masks of {@code query} (a training query:
     * its task is the one in progress and its manager takes the masks), the multi-head loss, backward,
     * {@code transform}, then plain SGD {@code θ ← θ − lr·g} and the gradients zeroed.
     *
     * @param x inputs
     * @param y labels, among the classes of the query's task
     * @param mask the masking plugin, or {@code null} for none
     * @param query the task and phase, with the manager of the step
     * @param transform called between backward and the update (e.g. the plugin's {@code transform}), or
     *     {@code null}
     * @param lr the learning rate
     * @return each parameter's gradient as the update saw it (after {@code transform}), by name in parameter order
     */
    public Map<String, float[]> train(float[][] x, long[] y, TaskMask mask, MaskQuery query, Runnable transform,
                                      float lr) {
        Map<String, float[]> seen = new LinkedHashMap<>();
        try (NDManager scratch = query.manager().newSubManager()) {
            NDArray features = scratch.create(x);
            float[] headBias = new float[outputs()];
            Arrays.fill(headBias, -1e9f);
            for (int c : query.task().classes()) {
                headBias[c] = 0f;
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = forward(features, mask, query).add(scratch.create(headBias));
                NDArray loss = logits.logSoftmax(1).gather(scratch.create(y).reshape(-1, 1), 1).mean().neg();
                gc.backward(loss);
            }
            if (transform != null) {
                transform.run();
            }
            for (Parameter p : parameters()) {
                NDArray g = p.gradient();
                g.attach(scratch);
                seen.put(p.name(), g.toFloatArray());
                p.array().subi(g.mul(lr));
                g.muli(0);
            }
        }
        return seen;
    }

    /**
     * {@link #train(float[][], long[], TaskMask, MaskQuery, Runnable, float)} as the first step of a one-step
     * task ({@code stepInTask} 0, {@code taskSteps} 1), the masks in a manager of its own closed after it.
     *
     * @param x inputs
     * @param y labels, among the task's classes
     * @param mask the masking plugin, or {@code null} for none
     * @param task the task in training
     * @param transform called between backward and the update, or {@code null}
     * @param lr the learning rate
     * @return each parameter's gradient as the update saw it
     */
    public Map<String, float[]> train(float[][] x, long[] y, TaskMask mask, TaskInfo task, Runnable transform,
                                      float lr) {
        try (NDManager pass = manager().newSubManager()) {
            return train(x, y, mask, Query.training(task, 0, 1, pass), transform, lr);
        }
    }

    /**
     * @param x inputs
     * @param mask the masking plugin, or {@code null} for none
     * @param query the task and phase; its manager takes the masks
     * @return the logits of every class, row-major
     */
    public float[] logits(float[][] x, TaskMask mask, MaskQuery query) {
        try (NDManager scratch = query.manager().newSubManager()) {
            return forward(scratch.create(x), mask, query).toFloatArray();
        }
    }

    /**
     * Task-IL predictions' raw material: the evaluation logits of the task's own classes, with the task's
     * evaluation masks.
     *
     * @param x inputs
     * @param mask the masking plugin, or {@code null} for none
     * @param task the task
     * @return the logits of the task's classes, row-major {@code (n, classes)}
     */
    public float[] taskLogits(float[][] x, TaskMask mask, TaskInfo task) {
        float[] logits;
        try (NDManager pass = manager().newSubManager()) {
            logits = logits(x, mask, Query.evaluation(task, pass));
        }
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

    /** Sets every live gradient to ones, as a backward pass of {@code Σ θ} would leave them. */
    public void onesGradients() {
        Map<String, float[]> ones = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            float[] v = new float[Math.toIntExact(p.array().size())];
            Arrays.fill(v, 1f);
            ones.put(p.name(), v);
        }
        setGradients(ones);
    }

    /**
     * @param name a parameter
     * @return its live gradient's values, row-major
     */
    public float[] gradient(String name) {
        return parameter(name).gradient().toFloatArray();
    }

    /**
     * @param name a parameter
     * @return its current values, row-major
     */
    public float[] values(String name) {
        return parameter(name).array().toFloatArray();
    }

    @Override
    public int outputs() {
        return Math.toIntExact(parameter("out.weight").array().getShape().get(0));
    }

    @Override
    public NDArray predict(NDArray features) {
        try (NDManager scratch = features.getManager().newSubManager()) {
            NDArray h = features;
            for (int l = 0; l < layers; l++) {
                NDArray w = parameter(layerName(l) + ".weight").array().stopGradient();
                NDArray b = parameter(layerName(l) + ".bias").array().stopGradient();
                w.attach(scratch);
                b.attach(scratch);
                h = hidden(h.matMul(w.transpose()).add(b), l);
            }
            h.attach(features.getManager());
            return h;
        }
    }

    private NDArray hidden(NDArray z, int l) {
        return l < layers - 1 ? Activation.relu(z) : z;
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager out) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try (NDManager scratch = features.getManager().newSubManager()) {
            // fresh leaves so that nothing accumulates into the live parameters' gradients
            List<NDArray> leaves = new ArrayList<>();
            for (Parameter p : parameters()) {
                leaves.add(LiveModelView.leaf(p.array(), scratch));
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray h = features;
                for (int l = 0; l < layers; l++) {
                    h = hidden(h.matMul(leaves.get(2 * l).transpose()).add(leaves.get(2 * l + 1)), l);
                }
                gc.backward(loss.apply(h));
            }
            for (int i = 0; i < leaves.size(); i++) {
                grads.put(parameters().get(i).name(), LiveModelView.keep(leaves.get(i).getGradient(), out));
            }
        }
        return grads;
    }

    /**
     * A frozen copy of this network, owned by {@code manager}.
     *
     * @param manager owner of the copy
     * @return the copy
     */
    @Override
    public ModelView snapshot(NDManager manager) {
        return new MaskedMlp(manager, this);
    }

    /**
     * The kernel's mask query, as a value.
     *
     * @param task the task whose masks are wanted
     * @param training inside a training step
     * @param stepInTask the step within the task, or -1 outside training
     * @param taskSteps the task's number of steps, or -1 outside training
     * @param manager owner of the masks and their temporaries
     */
    public record Query(TaskInfo task, boolean training, long stepInTask, long taskSteps, NDManager manager)
            implements MaskQuery {

        /**
         * @param task the task in progress
         * @param stepInTask the step within it
         * @param taskSteps its number of steps
         * @param manager the step's manager
         * @return the query of a training step
         */
        public static Query training(TaskInfo task, long stepInTask, long taskSteps, NDManager manager) {
            return new Query(task, true, stepInTask, taskSteps, manager);
        }

        /**
         * @param step a training step's context
         * @return its query: its task, position in the task and step manager
         */
        public static Query of(StepContext step) {
            return training(step.task(), step.stepInTask(), step.taskSteps(), step.stepManager());
        }

        /**
         * @param task the task whose masks apply
         * @param manager the evaluation batch's manager
         * @return the query of an evaluation pass (no step: -1, -1)
         */
        public static Query evaluation(TaskInfo task, NDManager manager) {
            return new Query(task, false, -1, -1, manager);
        }
    }
}
