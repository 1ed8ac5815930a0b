package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.graft.api.growth.Blueprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seed's module, built from a {@link Blueprint} to fit its slot: parameters named {@code seed.r1c0.in.weight},
 * {@code seed.r1c0.out.weight}, ... (and {@code seed.r1c0.gate.*} for a gated blend), held like the host's, so the
 * optimizer, the plugins and the isolation verifier see them under stable names.
 *
 * <p>Initialisation is PyTorch's default ({@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}), drawn on the host side from
 * the run's seed; a zero-initialised blueprint's last layer starts at exactly zero, so the module's output is zero
 * and the network's function is unchanged until it trains. A gate starts at weight 0, bias 0: {@code g(x) = 1/2}.
 */
final class SeedModule {

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape PAD = new Shape(1, 1);

    private final Blueprint blueprint;
    private final boolean conv;
    private final List<HostParameter> parameters;
    private final NDArray inWeight;
    private final NDArray inBias;
    private final NDArray outWeight;
    private final NDArray outBias;
    private final NDArray gateWeight;
    private final NDArray gateBias;

    private SeedModule(Blueprint blueprint, boolean conv, String prefix, NDArray inWeight, NDArray inBias,
                       NDArray outWeight, NDArray outBias, NDArray gateWeight, NDArray gateBias) {
        this.blueprint = blueprint;
        this.conv = conv;
        this.inWeight = inWeight;
        this.inBias = inBias;
        this.outWeight = outWeight;
        this.outBias = outBias;
        this.gateWeight = gateWeight;
        this.gateBias = gateBias;
        List<HostParameter> p = new ArrayList<>();
        if (inWeight != null) {
            p.add(new HostParameter(prefix + "in.weight", inWeight));
            p.add(new HostParameter(prefix + "in.bias", inBias));
        }
        p.add(new HostParameter(prefix + "out.weight", outWeight));
        p.add(new HostParameter(prefix + "out.bias", outBias));
        if (gateWeight != null) {
            p.add(new HostParameter(prefix + "gate.weight", gateWeight));
            p.add(new HostParameter(prefix + "gate.bias", gateBias));
        }
        this.parameters = List.copyOf(p);
    }

    /**
     * Builds a module for a slot.
     *
     * @param prefix parameter name prefix, e.g. {@code seed.r1c0.}
     * @param blueprint what to build
     * @param width the slot's width: units of a dense layer, channels of a convolutional block
     * @param convSlot whether the slot follows a convolutional block
     * @param gated whether to add a learned gate
     * @param manager owner of the parameters (the run manager)
     * @param random the initialisation's source
     * @return the module
     * @throws IllegalArgumentException when the blueprint does not fit the slot
     */
    static SeedModule grow(String prefix, Blueprint blueprint, int width, boolean convSlot, boolean gated,
                           NDManager manager, Random random) {
        boolean convBlueprint = blueprint.kind() == Blueprint.Kind.CONV;
        if (convBlueprint != convSlot) {
            throw new IllegalArgumentException("blueprint " + blueprint + " does not fit slot " + prefix.substring(5,
                    prefix.length() - 1) + ", which follows a " + (convSlot ? "convolutional block of " + width
                    + " channels; use conv" : "dense layer of " + width + " units; use residual or linear"));
        }
        NDArray inW = null;
        NDArray inB = null;
        NDArray outW;
        NDArray outB;
        int h = blueprint.hidden();
        switch (blueprint.kind()) {
            case RESIDUAL -> {
                inW = uniform(manager, random, width, new Shape(h, width));
                inB = uniform(manager, random, width, new Shape(h));
                outW = last(manager, random, blueprint, h, new Shape(width, h));
                outB = last(manager, random, blueprint, h, new Shape(width));
            }
            case LINEAR -> {
                outW = last(manager, random, blueprint, width, new Shape(width, width));
                outB = last(manager, random, blueprint, width, new Shape(width));
            }
            case CONV -> {
                inW = uniform(manager, random, width * 9, new Shape(h, width, 3, 3));
                inB = uniform(manager, random, width * 9, new Shape(h));
                outW = last(manager, random, blueprint, h * 9, new Shape(width, h, 3, 3));
                outB = last(manager, random, blueprint, h * 9, new Shape(width));
            }
            default -> throw new IllegalArgumentException("blueprint " + blueprint);
        }
        NDArray gW = gated ? trainable(manager.zeros(new Shape(1, width))) : null;
        NDArray gB = gated ? trainable(manager.zeros(new Shape(1))) : null;
        return new SeedModule(blueprint, convSlot, prefix, inW, inB, outW, outB, gW, gB);
    }

    private static NDArray last(NDManager m, Random random, Blueprint blueprint, int fanIn, Shape shape) {
        return blueprint.zeroInit() ? trainable(m.zeros(shape)) : uniform(m, random, fanIn, shape);
    }

    private static NDArray uniform(NDManager m, Random random, int fanIn, Shape shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextFloat() * 2f - 1f) * bound;
        }
        return trainable(m.create(v, shape));
    }

    private static NDArray trainable(NDArray a) {
        a.setRequiresGradient(true);
        return a;
    }

    /**
     * @param a the slot's input activation {@code (n, w)} or {@code (n, C, h, w)}
     * @param detachWeights whether the module's own parameters are held constant (a pass that must not train it)
     * @return the module's output, same shape
     */
    NDArray output(NDArray a, boolean detachWeights) {
        if (conv) {
            NDArray z = a;
            if (inWeight != null) {
                z = Activation.relu(Conv2d.conv2d(z, w(inWeight, detachWeights, a), w(inBias, detachWeights, a), ONE, PAD)
                        .singletonOrThrow());
            }
            return Conv2d.conv2d(z, w(outWeight, detachWeights, a), w(outBias, detachWeights, a), ONE, PAD).singletonOrThrow();
        }
        NDArray z = a;
        if (inWeight != null) {
            z = Activation.relu(Linear.linear(z, w(inWeight, detachWeights, a), w(inBias, detachWeights, a)).singletonOrThrow());
        }
        return Linear.linear(z, w(outWeight, detachWeights, a), w(outBias, detachWeights, a)).singletonOrThrow();
    }

    /**
     * @param a the slot's input activation
     * @param detachWeights whether the gate's parameters are held constant
     * @return the learned gate {@code σ(v·x + c)}, {@code (n, 1)} (dense) or {@code (n, 1, 1, 1)} (conv, over the
     *     channel means), or {@code null} when the module has no gate
     */
    NDArray gate(NDArray a, boolean detachWeights) {
        if (gateWeight == null) {
            return null;
        }
        // DJL's PyTorch engine averages over one axis at a time: the pixels of each channel as one axis
        NDArray x = conv ? a.reshape(a.getShape().get(0), a.getShape().get(1), -1).mean(new int[] {2}) : a;
        NDArray g = Activation.sigmoid(Linear.linear(x, w(gateWeight, detachWeights, a), w(gateBias, detachWeights, a))
                .singletonOrThrow());
        return conv ? g.reshape(g.getShape().get(0), 1, 1, 1) : g;
    }

    private static NDArray w(NDArray p, boolean detach, NDArray pass) {
        return detach ? MlpHost.constant(p, pass.getManager()) : p;
    }

    /** @return the module's parameters, in a fixed order */
    List<HostParameter> parameters() {
        return parameters;
    }

    /** @return its scalar weights */
    long parameterCount() {
        long n = 0;
        for (HostParameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /** @return the blueprint it was built from */
    Blueprint blueprint() {
        return blueprint;
    }

    /**
     * @param target owner of the copy
     * @return a copy of the parameters, for a model snapshot
     */
    SeedModule copy(NDManager target, String prefix) {
        return new SeedModule(blueprint, conv, prefix, dup(inWeight, target), dup(inBias, target),
                dup(outWeight, target), dup(outBias, target), dup(gateWeight, target), dup(gateBias, target));
    }

    private static NDArray dup(NDArray a, NDManager target) {
        if (a == null) {
            return null;
        }
        NDArray c = a.duplicate();
        c.attach(target);
        return c;
    }

    /** Frees the parameters (the seed was pruned). */
    void close() {
        for (HostParameter p : parameters) {
            p.array().close();
        }
    }
}
