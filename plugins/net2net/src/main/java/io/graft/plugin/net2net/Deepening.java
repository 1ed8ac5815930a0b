package io.graft.plugin.net2net;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.StructureEditor;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import java.util.List;

/**
 * Net2DeeperNet as a growth policy: each time its trigger fires, an identity-initialised hidden layer is
 * inserted after the configured layer (or the last hidden one) through {@link StructureEditor#insertIdentity},
 * which preserves the function because the ReLU outputs it receives are non-negative. Once the network has
 * {@code maxDepth} hidden layers it does nothing.
 *
 * <p>Metrics, at each growth: {@code depth} (hidden layers now), {@code width_<new layer>}, {@code parameters}
 * and {@code growths}.
 */
final class Deepening implements GrowthPolicy, Stateful {

    private final DeepenSettings settings;
    private long growths;

    Deepening(DeepenSettings settings) {
        this.settings = settings;
    }

    @Override
    public void grow(TaskContext task, StructureEditor editor) {
        List<String> hidden = HiddenLayers.of(editor);
        String after = DeepenSettings.LAST.equals(settings.layer())
                ? hidden.get(hidden.size() - 1)
                : HiddenLayers.require(editor, settings.layer(), "deepen");
        if (hidden.size() >= settings.maxDepth()) {
            return;
        }
        String inserted = editor.insertIdentity(after);
        growths++;
        MetricSink metrics = task.metrics();
        metrics.record("depth", hidden.size() + 1);
        metrics.record("width_" + inserted, editor.width(inserted));
        metrics.record("parameters", editor.parameterCount());
        metrics.record("growths", growths);
    }

    /** @return how many layers this policy has inserted */
    long growths() {
        return growths;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("growths", growths);
    }

    @Override
    public void restoreState(StateReader in) {
        growths = in.getLong("growths");
    }
}
