package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.runtime.config.ModelConfig;
import io.graft.runtime.scenario.Scenario;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** Makes the host network that {@code model.type} names, and the structure editor that goes with it. */
final class Hosts {

    private Hosts() {}

    /**
     * @param model the model settings
     * @param scenario the data the host will see
     * @return why the kernel cannot build this host, naming the key and the fix, or {@code null} when it can
     */
    static String refusal(ModelConfig model, Scenario scenario) {
        boolean cnn = model.convolutional();
        if (!cnn && !ModelConfig.MLP.equalsIgnoreCase(model.type())) {
            return "model.type '" + model.type() + "' is not supported; use mlp or cnn";
        }
        for (Integer w : model.hidden()) {
            if (w == null || w < 1) {
                return "model.hidden must list positive layer widths, got " + model.hidden();
            }
        }
        if (!cnn) {
            return model.conv().isEmpty() ? null
                    : "model.conv lists convolutional blocks, which only model.type: cnn has; remove it or use cnn";
        }
        if (model.conv().isEmpty()) {
            return "model.conv is empty; a cnn needs at least one block, e.g. [16, 32]";
        }
        for (Integer c : model.conv()) {
            if (c == null || c < 1) {
                return "model.conv must list positive channel counts, got " + model.conv();
            }
        }
        int[] shape = scenario.inputShape();
        int side = Math.min(shape[1], shape[2]);
        int blocks = 0;
        while (side >= 2) {
            side /= 2;
            blocks++;
        }
        if (model.conv().size() > blocks) {
            return "model.conv has " + model.conv().size() + " blocks, but each halves the image and " + shape[1] + "x"
                    + shape[2] + " images allow at most " + blocks + "; list fewer";
        }
        return null;
    }

    /**
     * @param model the model settings, accepted by {@link #refusal}
     * @param scenario the data
     * @param manager owner of the parameters
     * @param seed seed of the initialisation
     * @return the initialised host
     */
    static Host create(ModelConfig model, Scenario scenario, NDManager manager, long seed) {
        List<Integer> hidden = model.hidden();
        if (model.convolutional()) {
            return new ConvHost(manager, scenario.inputShape(), model.conv(), hidden, scenario.numClasses(), seed);
        }
        return new MlpHost(manager, scenario.inputSize(), hidden, scenario.numClasses(), seed);
    }

    /**
     * @param host the network
     * @param optimizer its optimizer
     * @param pruningMasks the kernel's pruning masks
     * @param random the growth's random source
     * @param events where changes are reported
     * @return the editor of that host
     */
    static HostEditor editor(Host host, Sgd optimizer, Map<String, NDArray> pruningMasks, Random random,
                             Consumer<GrowthEvent> events) {
        if (host instanceof ConvHost conv) {
            return new ConvGrowth(conv, optimizer, pruningMasks, random, events);
        }
        return new HostGrowth((MlpHost) host, optimizer, pruningMasks, random, events);
    }
}
