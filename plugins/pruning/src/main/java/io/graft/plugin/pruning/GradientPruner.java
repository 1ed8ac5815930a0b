package io.graft.plugin.pruning;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.model.Parameter;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient-importance pruning (Molchanov et al., first-order Taylor): a weight's importance is the loss change
 * its removal would cause to first order, {@code |w·g|}, summed over the training steps since the last stage;
 * the least important surviving weights go. The gradients themselves are left unchanged.
 */
public final class GradientPruner extends ScheduledPruner implements GradientTransform {

    private final Map<String, NDArray> importance = new LinkedHashMap<>();
    private final Map<String, float[]> restored = new LinkedHashMap<>();
    private NDManager own;

    /** @param settings the plugin's settings */
    GradientPruner(ScheduleSettings settings) {
        super(GradientFactory.ID, settings);
    }

    @Override
    void started(RunContext context, List<String> names) {
        own = context.manager().newSubManager();
        for (String n : names) {
            float[] saved = restored.remove(n);
            Shape shape = context.model().parameter(n).array().getShape();
            importance.put(n, saved == null ? own.zeros(shape) : own.create(saved, shape));
        }
    }

    @Override
    public void transform(StepContext step) {
        for (Map.Entry<String, NDArray> e : importance.entrySet()) {
            Parameter p = step.model().parameter(e.getKey());
            NDArray product = p.gradient().mul(p.array());
            product.attach(step.stepManager());
            e.getValue().addi(product.abs());
        }
    }

    @Override
    float[] scores(String name) {
        return importance.get(name).toFloatArray();
    }

    /** Each stage ranks the importance gathered since the one before. */
    @Override
    void pruned() {
        for (NDArray a : importance.values()) {
            a.muli(0);
        }
    }

    @Override
    public void saveState(StateWriter out) {
        super.saveState(out);
        for (Map.Entry<String, NDArray> e : importance.entrySet()) {
            out.putArray("importance." + e.getKey(), e.getValue());
        }
    }

    /** Restores before or after the run starts: the sums wait in {@link #restored} until the shapes are known. */
    @Override
    public void restoreState(StateReader in) {
        super.restoreState(in);
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            for (String key : in.keys()) {
                if (key.startsWith("importance.")) {
                    String name = key.substring("importance.".length());
                    float[] values = in.getArray(key, scratch).toFloatArray();
                    NDArray live = importance.get(name);
                    if (live != null) {
                        live.set(values);
                    } else {
                        restored.put(name, values);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        super.close();
        if (own != null) {
            own.close();
            own = null;
        }
        importance.clear();
    }
}
