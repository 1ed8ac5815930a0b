package io.graft.plugin.net2net;

import io.graft.api.growth.StructureEditor;
import java.util.List;

/**
 * The hidden layers of the network as the editor shows it now: every layer but the head. Layer names are
 * only known at run time (and change as the network grows), so a configured name is checked here, against
 * the network of the moment, with a message that lists what there is.
 */
final class HiddenLayers {

    private HiddenLayers() {}

    /**
     * @param editor the kernel's editor
     * @return the hidden layers, input to output
     */
    static List<String> of(StructureEditor editor) {
        List<String> layers = editor.layers();
        return layers.subList(0, layers.size() - 1);
    }

    /**
     * @param editor the kernel's editor
     * @param layer a configured layer name
     * @param policy the policy asking, for the message
     * @return {@code layer}, when it is a hidden layer now
     * @throws IllegalArgumentException naming the layer and the hidden layers there are
     */
    static String require(StructureEditor editor, String layer, String policy) {
        List<String> hidden = of(editor);
        if (!hidden.contains(layer)) {
            throw new IllegalArgumentException(policy + ": layer '" + layer + "' is not a hidden layer of this network;"
                    + " its hidden layers are " + hidden + (editor.layers().contains(layer) ? " ('" + layer
                    + "' is the head)" : ""));
        }
        return layer;
    }
}
