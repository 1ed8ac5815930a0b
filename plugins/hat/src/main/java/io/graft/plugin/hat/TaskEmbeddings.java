package io.graft.plugin.hat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.plugin.support.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * HAT's task embeddings {@code e_t^l}, one vector per task and hidden layer, owned by the plugin: the kernel's
 * optimizer never sees them, so their plain SGD step (after the paper's gradient compensation) is taken here.
 * The gate of a unit is {@code σ(s·e)}; its binarised form {@code 1[e > 0]} is the gate at {@code s_max} rounded.
 */
final class TaskEmbeddings implements AutoCloseable {

    private final Map<Integer, Map<String, NDArray>> byTask = new TreeMap<>();

    /**
     * @param task a task index
     * @return whether the task has embeddings
     */
    boolean has(int task) {
        return byTask.containsKey(task);
    }

    /**
     * @param task a task index
     * @param layer a hidden layer
     * @return its embedding, or {@code null}
     */
    NDArray get(int task, String layer) {
        Map<String, NDArray> layers = byTask.get(task);
        return layers == null ? null : layers.get(layer);
    }

    /**
     * Draws a task's embeddings from N(0, 1), as the HAT paper initialises them.
     *
     * @param task a task index
     * @param chain the layers
     * @param random the plugin's random source (results repeat for a seed)
     * @param manager owner of the embeddings
     */
    void create(int task, LayerChain chain, Random random, NDManager manager) {
        Map<String, NDArray> layers = new LinkedHashMap<>();
        for (LayerChain.Layer l : chain.hidden()) {
            float[] e = new float[l.units()];
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) random.nextGaussian();
            }
            layers.put(l.name(), manager.create(e));
        }
        byTask.put(task, layers);
    }

    /**
     * Makes the task's embeddings record gradients, so that the gates built from them in a training step
     * receive theirs at backward.
     *
     * @param task a task index with embeddings
     */
    void trackGradients(int task) {
        for (NDArray e : byTask.get(task).values()) {
            if (!e.hasGradient()) {
                e.setRequiresGradient(true);
            }
        }
    }

    /**
     * The soft gate of a training step, in the autograd graph.
     *
     * @param task a task with embeddings
     * @param layer a hidden layer
     * @param s the slope of this step
     * @param manager owner of the gate
     * @return {@code σ(s·e)}
     */
    NDArray gate(int task, String layer, double s, NDManager manager) {
        // the slope lives in the pass's manager: autograd reads it in backward (mul(Number) would close it at once)
        NDArray slope = manager.create((float) s);
        try (NDArray scaled = get(task, layer).mul(slope)) {
            NDArray gate = Activation.sigmoid(scaled);
            gate.attach(manager);
            return gate;
        }
    }

    /**
     * The binarised gate, without a gradient path.
     *
     * @param task a task with embeddings
     * @param layer a hidden layer
     * @param manager owner of the mask
     * @return {@code 1[e > 0]} as FLOAT32 (that is {@code σ(s_max·e) > 0.5})
     */
    NDArray binary(int task, String layer, NDManager manager) {
        try (NDArray e = get(task, layer).stopGradient(); NDArray positive = e.gt(0)) {
            NDArray mask = positive.toType(DataType.FLOAT32, false);
            mask.attach(manager);
            return mask;
        }
    }

    /**
     * One plain SGD step on the task's embeddings from the gradient backward left in them, then the gradient
     * zeroed. The gradient is first compensated for the annealing (HAT, Sec. 2.5), so that an embedding moves
     * as much at a small slope as at {@code s_max}:
     * {@code q' = s_max·(cosh(clamp(s·e, ±thres_cosh)) + 1) / (s·(cosh(e) + 1)) · q}. The embedding is then
     * clamped to {@code ±embeddingBound}.
     *
     * @param task the task in training
     * @param s the slope of this step's gates
     * @param settings the learning rate and the bounds
     * @param stepManager owner of the temporaries
     */
    void step(int task, double s, HatSettings settings, NDManager stepManager) {
        Map<String, NDArray> layers = byTask.get(task);
        if (layers == null) {
            return;
        }
        for (NDArray e : layers.values()) {
            NDArray grad = e.getGradient();
            if (grad == null) {
                continue;
            }
            grad.attach(stepManager);
            NDArray value = e.stopGradient();
            value.attach(stepManager);
            NDArray update = grad.mul(compensation(value, s, settings.sMax(), settings.thresCosh()))
                    .mul((float) settings.embeddingLr());
            e.subi(update);
            // value shares e's storage: it already holds the updated embedding
            NDArray excess = value.sub(value.clip((float) -settings.embeddingBound(), (float) settings.embeddingBound()));
            e.subi(excess);
            grad.muli(0);
        }
    }

    /**
     * @param e the embedding (detached); the result lands in its manager
     * @param s the slope of this step
     * @param sMax the largest slope
     * @param thresCosh bound of {@code s·e} inside the numerator's {@code cosh}
     * @return the compensation factor {@code s_max·(cosh(clamp(s·e)) + 1) / (s·(cosh(e) + 1))}
     */
    static NDArray compensation(NDArray e, double s, double sMax, double thresCosh) {
        NDArray numerator = e.mul((float) s).clip((float) -thresCosh, (float) thresCosh).cosh().add(1);
        NDArray denominator = e.cosh().add(1);
        return numerator.div(denominator).mul((float) (sMax / s));
    }

    /**
     * @param out where to write
     * @param prefix the entries' prefix
     */
    void save(StateWriter out, String prefix) {
        out.putString(prefix + "tasks", byTask.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")));
        for (Map.Entry<Integer, Map<String, NDArray>> e : byTask.entrySet()) {
            Map<String, NDArray> detached = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> l : e.getValue().entrySet()) {
                detached.put(l.getKey(), l.getValue().stopGradient());
            }
            Tensors.save(out, prefix + e.getKey() + ".", detached);
            detached.values().forEach(NDArray::close);
        }
    }

    /**
     * Replaces the embeddings with saved ones.
     *
     * @param in what was written
     * @param prefix the entries' prefix
     * @param manager owner of the arrays
     */
    void load(StateReader in, String prefix, NDManager manager) {
        clear();
        String tasks = in.getString(prefix + "tasks");
        for (String t : tasks.isEmpty() ? new String[0] : tasks.split(",")) {
            byTask.put(Integer.parseInt(t), Tensors.load(in, prefix + t + ".", manager));
        }
    }

    /**
     * Hands every embedding over to another manager.
     *
     * @param manager the new owner
     */
    void moveTo(NDManager manager) {
        for (Map<String, NDArray> layers : byTask.values()) {
            Tensors.moveTo(layers, manager);
        }
    }

    private void clear() {
        byTask.values().forEach(Tensors::clear);
        byTask.clear();
    }

    @Override
    public void close() {
        clear();
    }
}
