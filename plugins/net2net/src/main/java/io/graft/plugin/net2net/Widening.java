package io.graft.plugin.net2net;

import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.StructureEditor;
import io.graft.api.train.MetricSink;
import io.graft.api.train.TaskContext;
import java.util.Comparator;
import java.util.List;

/**
 * Net2Net widening (Chen, Goodfellow and Shlens, 2016) as a growth policy: each time its trigger fires, the
 * configured hidden layer (or the narrowest, or all of them) grows by {@code factor} or {@code units}, up to
 * {@code maxWidth}. The kernel's {@link StructureEditor#widen} does the function-preserving copy; this policy
 * only decides which layers and how wide. At the cap it does nothing, so a trigger may keep firing.
 *
 * <p>Metrics, at each growth: {@code width_<layer>} of each widened layer, {@code parameters} and
 * {@code growths} (how many times it has grown in the run).
 */
final class Widening implements GrowthPolicy, Stateful {

    private final WidenSettings settings;
    private long growths;

    Widening(WidenSettings settings) {
        this.settings = settings;
    }

    @Override
    public void grow(TaskContext task, StructureEditor editor) {
        boolean grew = false;
        MetricSink metrics = task.metrics();
        for (String layer : targets(editor)) {
            int width = editor.width(layer);
            int next = settings.nextWidth(width);
            if (next > width) {
                editor.widen(layer, next, settings.noise(), settings.spread());
                metrics.record("width_" + layer, next);
                grew = true;
            }
        }
        if (grew) {
            growths++;
            metrics.record("parameters", editor.parameterCount());
            metrics.record("growths", growths);
        }
    }

    /** The layers this growth considers, chosen on the network as it is now. */
    private List<String> targets(StructureEditor editor) {
        List<String> hidden = HiddenLayers.of(editor);
        return switch (settings.layer()) {
            case WidenSettings.ALL -> List.copyOf(hidden);
            case WidenSettings.NARROWEST -> List.of(hidden.stream()
                    .min(Comparator.comparingInt(editor::width))
                    .orElseThrow(() -> new IllegalStateException("widen: the network has no hidden layer to widen")));
            default -> List.of(HiddenLayers.require(editor, settings.layer(), "widen"));
        };
    }

    /** @return how many times this policy has grown the network */
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
