package ${package};

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of the network's parameters taken at one moment, by parameter name, and the squared distance of the
 * live parameters to them. The copies belong to one manager; closing it releases them.
 */
final class Anchors {

    private final Map<String, NDArray> values;

    private Anchors(Map<String, NDArray> values) {
        this.values = values;
    }

    /**
     * @param model the network
     * @param owner owner of the copies
     * @return copies of the current parameters, out of the autograd graph
     */
    static Anchors capture(ModelView model, NDManager owner) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            try (NDArray detached = p.array().stopGradient()) { // shares the parameter's storage: copy it
                NDArray copy = detached.duplicate();
                copy.attach(owner);
                copies.put(p.name(), copy);
            }
        }
        return new Anchors(copies);
    }

    /**
     * The sum over parameters of {@code Σ (θ − θ*)²}, built from the live arrays so that it takes part in
     * backward. A parameter that did not exist when the anchors were taken, or has another shape now (a growth
     * plugin widened it), is left free.
     *
     * @param model the network
     * @param scratch owner of every temporary (the step's manager)
     * @return the scalar distance, or {@code null} when no parameter is anchored
     */
    NDArray squaredDistance(ModelView model, NDManager scratch) {
        NDArray total = null;
        for (Parameter p : model.parameters()) {
            NDArray anchor = values.get(p.name());
            if (anchor == null || !anchor.getShape().equals(p.array().getShape())) {
                continue;
            }
            NDArray diff = p.array().sub(anchor);
            // an operation's result belongs to its first operand's manager, here the model's, which lives as
            // long as the run: move it to the step's so that it is released after backward
            diff.attach(scratch);
            NDArray term = diff.square().sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** @return the anchored parameter names, in parameter order */
    List<String> names() {
        return List.copyOf(values.keySet());
    }

    /**
     * Moves the copies to another manager, on its device (state restored before the run started is held
     * elsewhere until the run names its manager).
     *
     * @param owner the new owner
     * @return anchors owned by it
     */
    Anchors moveTo(NDManager owner) {
        Map<String, NDArray> moved = new LinkedHashMap<>();
        values.forEach((name, a) -> {
            NDArray copy = a.toDevice(owner.getDevice(), true);
            copy.attach(owner);
            moved.put(name, copy);
        });
        return new Anchors(moved);
    }

    /**
     * Writes the copies: the names on one line each under {@code names}, each array under {@code anchor.<name>}.
     *
     * @param out where to write
     */
    void save(StateWriter out) {
        out.putString("names", String.join("\n", values.keySet()));
        values.forEach((name, a) -> out.putArray("anchor." + name, a));
    }

    /**
     * @param in what {@code save} wrote
     * @param owner owner of the restored arrays
     * @return the anchors, or {@code null} when none had been taken
     */
    static Anchors restore(StateReader in, NDManager owner) {
        String names = in.getString("names");
        if (names.isEmpty()) {
            return null;
        }
        Map<String, NDArray> restored = new LinkedHashMap<>();
        for (String name : names.split("\n")) {
            restored.put(name, in.getArray("anchor." + name, owner));
        }
        return new Anchors(restored);
    }
}
