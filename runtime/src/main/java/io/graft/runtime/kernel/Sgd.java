package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Graft's stochastic gradient descent with momentum, over DJL arrays, with its state in the open (DJL's
 * optimizers keep theirs in private maps keyed by parameter id).
 *
 * <p>Update, per parameter with gradient {@code g}: {@code v ← μ·v + η·g; w ← w − v} (with {@code μ = 0}
 * simply {@code w ← w − η·g}). The velocity {@code v} therefore includes the learning rate; for a constant
 * learning rate this is exactly PyTorch's SGD with momentum (dampening 0, no Nesterov). The state is one
 * velocity buffer per parameter name ({@link #state()}), created at zero on a parameter's first update.
 *
 * <p>The update runs outside autograd and in place. On PyTorch it is DJL's fused native SGD kernel, which
 * also <b>zeroes the parameter's gradient</b> afterwards: that is the one place gradients are zeroed in a
 * step (PyTorch accumulates gradients across backward passes and DJL's {@code GradientCollector} does not
 * zero them). Other engines get the same arithmetic from ordinary array operations.
 */
public final class Sgd {

    private final float learningRate;
    /** The schedule's factor on the learning rate for the steps to come, 1 by default. */
    private float factor = 1f;
    private final float momentum;
    private final Map<String, NDArray> velocity = new LinkedHashMap<>();
    private final NDManager stateManager;
    private final boolean fused;

    /**
     * @param learningRate η, positive
     * @param momentum μ in {@code [0, 1)}
     * @param stateManager owner of the velocity buffers (the run manager)
     */
    public Sgd(double learningRate, double momentum, NDManager stateManager) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive: " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1): " + momentum);
        }
        this.learningRate = (float) learningRate;
        this.momentum = (float) momentum;
        this.stateManager = stateManager;
        this.fused = Engines.isPyTorch(stateManager);
    }

    /** @return η */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Scales the learning rate of the next updates (a schedule), {@code η·factor}.
     *
     * @param value the factor, in {@code [0, 1]}
     */
    public void scale(double value) {
        this.factor = (float) value;
    }

    /** @return μ */
    public double momentum() {
        return momentum;
    }

    /**
     * Applies one update to every parameter whose gradient was captured; parameters the loss did not reach
     * are left alone (their velocity too).
     *
     * @param parameters the parameters, gradients captured
     */
    public void step(List<HostParameter> parameters) {
        for (HostParameter p : parameters) {
            NDArray g = p.capturedGradient();
            if (g != null) {
                update(p.name(), p.array(), g);
            }
        }
    }

    /**
     * Updates one array in place and zeroes its gradient.
     *
     * @param name the parameter's name (key of its velocity)
     * @param weight the parameter
     * @param gradient its gradient
     */
    public void update(String name, NDArray weight, NDArray gradient) {
        NDArray v = momentum > 0 ? velocity.computeIfAbsent(name, k -> zerosLike(weight)) : null;
        if (fused) {
            NDList inputs = v == null ? new NDList(weight, gradient) : new NDList(weight, gradient, v);
            // lr, weight decay 0, rescale 1, no clipping (< 0), momentum; zeroes weight's gradient afterwards
            weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), learningRate * factor, 0f, 1f, -1f,
                    momentum, true);
            return;
        }
        try (NDArray step = gradient.mul(learningRate * factor)) {
            if (v == null) {
                weight.subi(step);
            } else {
                v.muli(momentum).addi(step);
                weight.subi(v);
            }
        }
        Engines.zeroGradient(weight);
    }

    private NDArray zerosLike(NDArray weight) {
        NDArray z = stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
        z.setName("velocity");
        return z;
    }

    /**
     * The velocity buffers by parameter name: live arrays owned by the state manager, for checkpoints and for
     * carrying state across growth. Empty when momentum is 0.
     *
     * @return the state, in first-update order
     */
    public Map<String, NDArray> state() {
        return Collections.unmodifiableMap(velocity);
    }

    /**
     * Replaces the velocity of a parameter with a copy of {@code value} (same shape as the parameter).
     *
     * @param name a parameter name
     * @param value its velocity
     */
    public void setState(String name, NDArray value) {
        NDArray copy = value.duplicate();
        copy.attach(stateManager);
        NDArray old = velocity.put(name, copy);
        if (old != null) {
            old.close();
        }
    }

    /**
     * Multiplies a parameter's velocity by a 0/1 mask, so that pruned weights stop moving.
     *
     * @param name a parameter name
     * @param mask the mask, same shape as the parameter
     */
    public void mask(String name, NDArray mask) {
        NDArray v = velocity.get(name);
        if (v != null) {
            v.muli(mask);
        }
    }

    /**
     * Drops a parameter's state (the parameter was removed).
     *
     * @param name a parameter name
     */
    public void forget(String name) {
        NDArray old = velocity.remove(name);
        if (old != null) {
            old.close();
        }
    }
}
