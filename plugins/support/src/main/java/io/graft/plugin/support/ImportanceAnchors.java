package io.graft.plugin.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One importance-weighted quadratic anchor per parameter, as kept by regularizers such as SI and MAS: the
 * importance Ω and the anchor θ* by parameter name, and the penalty {@code Σ Ω·(θ−θ*)²} over the live
 * parameters. How Ω is estimated and accumulated, and the penalty's strength, stay with each algorithm. Owns
 * its arrays.
 */
public final class ImportanceAnchors implements AutoCloseable {

    private final Map<String, NDArray> importance = new LinkedHashMap<>();
    private final Map<String, NDArray> anchor = new LinkedHashMap<>();

    /** @return Ω by parameter name (live arrays, read only) */
    public Map<String, NDArray> importance() {
        return Collections.unmodifiableMap(importance);
    }

    /** @return θ* by parameter name (live arrays, read only) */
    public Map<String, NDArray> anchor() {
        return Collections.unmodifiableMap(anchor);
    }

    /**
     * @param name a parameter name
     * @return its importance, or {@code null}
     */
    public NDArray importance(String name) {
        return importance.get(name);
    }

    /**
     * @param name a parameter name
     * @return its anchor, or {@code null}
     */
    public NDArray anchor(String name) {
        return anchor.get(name);
    }

    /** @return whether no parameter is anchored */
    public boolean isEmpty() {
        return anchor.isEmpty();
    }

    /**
     * Sets a parameter's importance, closing the one it replaces.
     *
     * @param name the parameter name
     * @param omega the new importance, owned from now on
     */
    public void putImportance(String name, NDArray omega) {
        Tensors.replace(importance, name, omega);
    }

    /**
     * Anchors a parameter at its current value, closing the previous anchor.
     *
     * @param parameter the live parameter
     * @param manager owner of the copy
     */
    public void anchorAt(Parameter parameter, NDManager manager) {
        Tensors.replace(anchor, parameter.name(), Tensors.copyOf(parameter.array(), manager));
    }

    /**
     * {@code strength · Σ Ω·(θ−θ*)²} over the live parameters of the model that have an importance and an anchor
     * of their shape, built so that it takes part in backward.
     *
     * @param model the model being trained
     * @param stepManager owner of every temporary
     * @param strength the penalty's factor
     * @return the scalar penalty, or {@code null} if no parameter is penalised
     */
    public NDArray penalty(ModelView model, NDManager stepManager, double strength) {
        NDArray sum = null;
        for (Parameter p : model.parameters()) {
            NDArray theta = p.array();
            NDArray omega = importance.get(p.name());
            NDArray center = anchor.get(p.name());
            if (!Tensors.sameShape(omega, theta) || !Tensors.sameShape(center, theta)) {
                continue;
            }
            NDArray diff = theta.sub(center);
            diff.attach(stepManager); // the result of an op lands in its first operand's (the model's) manager
            NDArray term = diff.square().mul(omega).sum();
            sum = sum == null ? term : sum.add(term);
        }
        if (sum == null) {
            return null;
        }
        // a float scalar: a Java double would promote the 0-d result (and the loss) to float64
        return Tensors.scaled(sum, strength);
    }

    /**
     * Writes Ω and θ* under {@code "importance."} and {@code "anchor."} (see {@link Tensors#save}).
     *
     * @param out where to write
     */
    public void save(StateWriter out) {
        Tensors.save(out, "importance.", importance);
        Tensors.save(out, "anchor.", anchor);
    }

    /**
     * Replaces Ω and θ* with what {@link #save} wrote.
     *
     * @param in what was written
     * @param manager owner of the arrays
     */
    public void load(StateReader in, NDManager manager) {
        clear();
        importance.putAll(Tensors.load(in, "importance.", manager));
        anchor.putAll(Tensors.load(in, "anchor.", manager));
    }

    /**
     * Hands every array over to another manager, moving it to that manager's device if needed.
     *
     * @param manager the new owner
     */
    public void moveTo(NDManager manager) {
        Tensors.moveTo(importance, manager);
        Tensors.moveTo(anchor, manager);
    }

    /** Closes every array and forgets every parameter. */
    public void clear() {
        Tensors.clear(importance);
        Tensors.clear(anchor);
    }

    @Override
    public void close() {
        clear();
    }
}
