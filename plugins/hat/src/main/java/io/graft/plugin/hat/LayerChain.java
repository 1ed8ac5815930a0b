package io.graft.plugin.hat;

import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The fully connected layers of the host in forward order, read from its parameter names ({@code fc1.weight},
 * {@code fc1.bias}, ..., {@code out.weight}, {@code out.bias}): every layer but the last is a hidden layer with a
 * gate per unit; the last is the head.
 *
 * @param hidden the gated hidden layers, input side first
 * @param head the output layer (never gated)
 */
record LayerChain(List<Layer> hidden, Layer head) {

    /**
     * One fully connected layer.
     *
     * @param name the layer's name, e.g. {@code fc1}
     * @param weight its weight parameter, shape {@code (units, inputs)}
     * @param bias its bias parameter, shape {@code (units)}, or {@code null}
     * @param units its output width
     * @param inputs its input width
     */
    record Layer(String name, String weight, String bias, int units, int inputs) {}

    LayerChain {
        hidden = List.copyOf(hidden);
    }

    /**
     * @param model the host
     * @return its layers
     * @throws IllegalArgumentException when the host has no hidden layer
     */
    static LayerChain of(ModelView model) {
        List<String> names = model.parameters().stream().map(Parameter::name).toList();
        List<Layer> layers = new ArrayList<>();
        for (String n : names) {
            if (!n.endsWith(".weight")) {
                continue;
            }
            String layer = n.substring(0, n.length() - ".weight".length());
            String bias = names.contains(layer + ".bias") ? layer + ".bias" : null;
            long[] shape = model.parameter(n).array().getShape().getShape();
            if (shape.length != 2) {
                throw new IllegalArgumentException("HAT needs fully connected layers; " + n + " has shape "
                        + model.parameter(n).array().getShape());
            }
            layers.add(new Layer(layer, n, bias, Math.toIntExact(shape[0]), Math.toIntExact(shape[1])));
        }
        if (layers.size() < 2) {
            throw new IllegalArgumentException("HAT gates hidden layers; this model has none (parameters " + names + ")");
        }
        return new LayerChain(layers.subList(0, layers.size() - 1), layers.get(layers.size() - 1));
    }

    /**
     * @param name a hidden layer's name
     * @return its position in {@link #hidden()}, or -1
     */
    int indexOf(String name) {
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
