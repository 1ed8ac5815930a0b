package io.graft.plugin.pruning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.graft.api.Stateful;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.pruning.Pruner;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.api.trigger.TrainingSignals;
import io.graft.api.trigger.TriggerCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Structured pruning of hidden neurons and channels: at each stage every hidden layer keeps its units with the
 * largest L2 norm of incoming weights (a convolutional channel: its whole filter), up to the stage's share, and the
 * others are switched off entirely (their weight rows and biases masked, and for a convolutional block with
 * BatchNorm its scale and shift too, since the shift alone would keep the channel's output alive), so they output
 * ReLU(0) = 0. With {@code model.shrink: true} the kernel then removes them
 * physically, the next layer's inputs with them, and the network is smaller and faster; without it the masks
 * alone carry the same function.
 *
 * <p>Like the unstructured pruners it is its own trigger, on the same schedule keys. The units to keep are
 * counted from each layer's width at the start of the run, at least one per layer.
 */
public final class StructuredPruner implements Pruner, TriggerCondition, Stateful {

    static final String ID = "structured";

    private final double sparsity;
    private final SparsityRamp ramp;
    private final PruneClock clock;
    /** Each hidden layer's width at the start of the run, input to output. */
    private final Map<String, Integer> original = new LinkedHashMap<>();
    /** Per hidden layer, which of its current units are still on (true) or switched off by masks (false). */
    private final Map<String, boolean[]> alive = new LinkedHashMap<>();
    /** The masks handed over at the last stage: the kernel keeps its own copies, so they go at the next one. */
    private final List<NDArray> handedOver = new ArrayList<>();

    /**
     * @param sparsity share of every hidden layer's units removed after the last stage
     * @param ramp how the share rises over the stages
     * @param clock when the stages fall
     */
    StructuredPruner(double sparsity, SparsityRamp ramp, PruneClock clock) {
        this.sparsity = sparsity;
        this.ramp = ramp;
        this.clock = clock;
    }

    @Override
    public void onRunStart(RunContext context) {
        for (String layer : hiddenLayers(context.model())) {
            int width = width(context.model(), layer);
            if (keep(width, sparsity) < 1) {
                throw new IllegalArgumentException(ID + ": sparsity " + sparsity + " would remove every unit of "
                        + layer + " (" + width + " units); lower it below " + (1 - 1.0 / width));
            }
            original.put(layer, width);
        }
    }

    @Override
    public void onTaskStart(TaskContext task) {
        clock.taskStarted();
    }

    @Override
    public void afterStep(StepContext step) {
        clock.stepped(step.stepInTask(), step.taskSteps());
    }

    @Override
    public boolean fires(TrainingSignals signals) {
        return !signals.taskBoundary() && clock.fires();
    }

    @Override
    public Map<String, NDArray> prune(TaskContext task) {
        int stage = clock.advance();
        double target = ramp.target(stage, clock.stages(), sparsity);
        releaseHandedOver();
        ModelView model = task.model();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        int removed = 0;
        int total = 0;
        for (Map.Entry<String, Integer> e : original.entrySet()) {
            String layer = e.getKey();
            Parameter weight = model.parameter(layer + ".weight");
            int width = Math.toIntExact(weight.array().getShape().get(0));
            // a dense unit's incoming weights are a row; a channel's, its whole filter (in, kh, kw)
            int inputs = Math.toIntExact(weight.array().size() / width);
            boolean[] on = alive.get(layer);
            if (on == null || on.length != width) {
                // first stage, or the kernel removed the switched-off units: every unit there now is on
                on = new boolean[width];
                java.util.Arrays.fill(on, true);
            }
            int keep = Math.min(keep(e.getValue(), target), count(on));
            float[] w = weight.array().toFloatArray();
            float[] norms = new float[width];
            for (int j = 0; j < width; j++) {
                double sum = 0;
                for (int k = 0; k < inputs; k++) {
                    sum += (double) w[j * inputs + k] * w[j * inputs + k];
                }
                norms[j] = (float) Math.sqrt(sum);
            }
            boolean[] next = Ranking.top(norms, on, keep);
            alive.put(layer, next);
            float[] rows = new float[width * inputs];
            float[] bias = new float[width];
            for (int j = 0; j < width; j++) {
                if (next[j]) {
                    java.util.Arrays.fill(rows, j * inputs, (j + 1) * inputs, 1f);
                    bias[j] = 1f;
                }
            }
            NDArray rowMask = task.manager().create(rows, weight.array().getShape());
            NDArray biasMask = task.manager().create(bias, new Shape(width));
            handedOver.add(rowMask);
            handedOver.add(biasMask);
            masks.put(layer + ".weight", rowMask);
            masks.put(layer + ".bias", biasMask);
            for (String normalisation : batchNorm(model, layer)) {
                NDArray m = task.manager().create(bias, new Shape(width));
                handedOver.add(m);
                masks.put(normalisation, m);
            }
            removed += e.getValue() - keep;
            total += e.getValue();
            task.metrics().record("units." + layer, keep);
        }
        task.metrics().record("sparsity", total == 0 ? 0 : (double) removed / total);
        task.metrics().record("stage", stage);
        return masks;
    }

    private void releaseHandedOver() {
        handedOver.forEach(NDArray::close);
        handedOver.clear();
    }

    @Override
    public void close() {
        releaseHandedOver();
    }

    private static int keep(int width, double share) {
        return Math.max(0, (int) Math.round((1 - share) * width));
    }

    private static int count(boolean[] on) {
        int n = 0;
        for (boolean b : on) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static List<String> hiddenLayers(ModelView model) {
        List<String> layers = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            String name = p.name();
            if (name.endsWith(".weight") && !name.equals("out.weight")) {
                layers.add(name.substring(0, name.length() - ".weight".length()));
            }
        }
        return layers;
    }

    /** @return the layer's BatchNorm scale and shift ({@code conv1.bn.gamma}, {@code conv1.bn.beta}), if it has them */
    private static List<String> batchNorm(ModelView model, String layer) {
        List<String> names = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (p.name().equals(layer + ".bn.gamma") || p.name().equals(layer + ".bn.beta")) {
                names.add(p.name());
            }
        }
        return names;
    }

    private static int width(ModelView model, String layer) {
        return Math.toIntExact(model.parameter(layer + ".weight").array().getShape().get(0));
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("stage", clock.applied());
    }

    @Override
    public void restoreState(StateReader in) {
        clock.restore((int) in.getLong("stage"));
    }
}
