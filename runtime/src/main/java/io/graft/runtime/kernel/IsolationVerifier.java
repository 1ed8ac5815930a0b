package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks gradient isolation while a run trains (reference document 003's checklist, done by the kernel): in every
 * step where parameters are frozen (frozen layers, or the whole host during a seed-only step) their values,
 * optimizer velocity and the layers' buffers (BatchNorm's running statistics) must come out of the step bit for bit
 * as they went in, whatever the plugins did; and growth
 * must never reset the optimizer state of parameters it keeps. Every breach counts as one violation, reported in
 * the run's summary ({@code isolation_violations}) and logged with the parameter's name.
 *
 * <p>It also decides what the optimizer may touch in a step: the parameters that are not frozen.
 */
final class IsolationVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(IsolationVerifier.class);
    private static final String SEED_PREFIX = "seed.";

    private final Sgd optimizer;
    private final Map<String, NDArray> values = new LinkedHashMap<>();
    private final Map<String, NDArray> velocities = new LinkedHashMap<>();
    /** The frozen buffers (live arrays) and their copies from before the step. */
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final Map<String, NDArray> bufferCopies = new LinkedHashMap<>();
    private List<HostParameter> watched = List.of();
    private long violations;
    private long checkedSteps;

    /** @param optimizer the run's optimizer, whose state is watched too */
    IsolationVerifier(Sgd optimizer) {
        this.optimizer = optimizer;
    }

    /**
     * @param parameters every parameter of the network (host and seeds)
     * @param frozenLayers the layers frozen now
     * @param hostIsolated whether the whole host is frozen this step (a seed-only step)
     * @return the names of the parameters frozen this step
     */
    static Set<String> frozen(List<HostParameter> parameters, Set<String> frozenLayers, boolean hostIsolated) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (HostParameter p : parameters) {
            String name = p.name();
            boolean seed = name.startsWith(SEED_PREFIX);
            if (hostIsolated && !seed) {
                out.add(name);
                continue;
            }
            // the layer is the name's first part: conv1.weight and conv1.bn.gamma both belong to conv1
            int dot = name.indexOf('.');
            if (!seed && dot > 0 && frozenLayers.contains(name.substring(0, dot))) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * @param buffers the host's buffers by name, e.g. {@code conv1.bn.runningMean}
     * @param frozenLayers the layers frozen now
     * @param hostIsolated whether the whole host is frozen this step
     * @return the buffers that must not change this step: those of frozen layers, every one in a seed-only step
     */
    static Map<String, NDArray> frozenBuffers(Map<String, NDArray> buffers, Set<String> frozenLayers,
                                              boolean hostIsolated) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
            if (hostIsolated || frozenLayers.contains(layer(e.getKey()))) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /**
     * @param layers the host's layers
     * @param frozenLayers the layers frozen now
     * @param hostIsolated whether the whole host is frozen this step
     * @return the layers held still in the step's forward pass (BatchNorm on its running statistics)
     */
    static Set<String> stillLayers(List<String> layers, Set<String> frozenLayers, boolean hostIsolated) {
        return hostIsolated ? Set.copyOf(layers) : frozenLayers;
    }

    private static String layer(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * @param parameters every parameter
     * @param frozen the names frozen this step
     * @return the parameters the optimizer may update
     */
    static List<HostParameter> trainable(List<HostParameter> parameters, Set<String> frozen) {
        if (frozen.isEmpty()) {
            return parameters;
        }
        List<HostParameter> out = new ArrayList<>();
        for (HostParameter p : parameters) {
            if (!frozen.contains(p.name())) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Remembers the frozen parameters' values and velocities before a step.
     *
     * @param parameters every parameter
     * @param frozen the names frozen this step
     * @param stepManager owner of the copies (closed with the step)
     */
    void beforeStep(List<HostParameter> parameters, Set<String> frozen, NDManager stepManager) {
        beforeStep(parameters, frozen, Map.of(), stepManager);
    }

    /**
     * Remembers the frozen parameters' values and velocities, and the frozen buffers, before a step.
     *
     * @param parameters every parameter
     * @param frozen the names frozen this step
     * @param frozenBuffers the buffers that must not change ({@link #frozenBuffers})
     * @param stepManager owner of the copies (closed with the step)
     */
    void beforeStep(List<HostParameter> parameters, Set<String> frozen, Map<String, NDArray> frozenBuffers,
                    NDManager stepManager) {
        values.clear();
        velocities.clear();
        buffers.clear();
        bufferCopies.clear();
        for (Map.Entry<String, NDArray> e : frozenBuffers.entrySet()) {
            buffers.put(e.getKey(), e.getValue());
            bufferCopies.put(e.getKey(), copy(e.getValue(), stepManager));
        }
        if (frozen.isEmpty()) {
            watched = List.of();
            return;
        }
        List<HostParameter> w = new ArrayList<>();
        Map<String, NDArray> state = optimizer.state();
        for (HostParameter p : parameters) {
            if (frozen.contains(p.name())) {
                w.add(p);
                values.put(p.name(), copy(p.array(), stepManager));
                NDArray v = state.get(p.name());
                if (v != null) {
                    velocities.put(p.name(), copy(v, stepManager));
                }
            }
        }
        watched = w;
    }

    /** Compares the frozen parameters and buffers with their copies after the step; counts and logs every difference. */
    void afterStep(long step) {
        if (watched.isEmpty() && buffers.isEmpty()) {
            return;
        }
        checkedSteps++;
        for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
            if (!e.getValue().contentEquals(bufferCopies.get(e.getKey()))) {
                breach(step, "the buffer " + e.getKey() + " changed although its layer is frozen");
            }
        }
        buffers.clear();
        bufferCopies.clear();
        Map<String, NDArray> state = optimizer.state();
        for (HostParameter p : watched) {
            if (!p.array().contentEquals(values.get(p.name()))) {
                breach(step, p.name() + " changed although it is frozen");
            }
            NDArray before = velocities.get(p.name());
            NDArray after = state.get(p.name());
            if (before == null ? after != null : after == null || !after.contentEquals(before)) {
                breach(step, "the optimizer state of " + p.name() + " changed although it is frozen");
            }
        }
        watched = List.of();
        values.clear();
        velocities.clear();
    }

    /**
     * Takes the optimizer state before a shape change, for {@link #afterGrowth}.
     *
     * @param manager owner of the copies
     * @return copies of every velocity, by name
     */
    Map<String, NDArray> beforeGrowth(NDManager manager) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : optimizer.state().entrySet()) {
            copies.put(e.getKey(), copy(e.getValue(), manager));
        }
        return copies;
    }

    /**
     * Checks that growth kept the optimizer state of every parameter it did not reshape: a velocity that existed
     * before and still has the same shape must be unchanged (never a silent reset).
     *
     * @param before what {@link #beforeGrowth} took
     * @param step the step, for the log
     */
    void afterGrowth(Map<String, NDArray> before, long step) {
        Map<String, NDArray> state = optimizer.state();
        for (Map.Entry<String, NDArray> e : before.entrySet()) {
            NDArray now = state.get(e.getKey());
            if (now != null && now.getShape().equals(e.getValue().getShape()) && !now.contentEquals(e.getValue())) {
                breach(step, "growth changed the optimizer state of " + e.getKey());
            }
        }
    }

    private void breach(long step, String what) {
        violations++;
        if (violations <= 10) {
            LOG.warn("isolation violation at step {}: {}", step, what);
        }
    }

    private static NDArray copy(NDArray a, NDManager manager) {
        NDArray c = a.duplicate();
        c.attach(manager);
        return c;
    }

    /** @return breaches found so far */
    long violations() {
        return violations;
    }

    /** @return steps in which frozen parameters were checked */
    long checkedSteps() {
        return checkedSteps;
    }
}
