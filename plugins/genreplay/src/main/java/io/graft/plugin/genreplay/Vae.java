package io.graft.plugin.genreplay;

import io.graft.plugin.support.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A variational autoencoder over flat samples with values in {@code [0, 1]} (Kingma &amp; Welling, 2014): encoder
 * {@code inputs → hidden (ReLU) → (μ, log σ²)}, decoder {@code z → hidden (ReLU) → inputs (sigmoid)}, a Bernoulli
 * likelihood and a standard normal prior. Its weights are plain arrays that it owns, named {@code enc.weight},
 * {@code enc.bias}, {@code mu.*}, {@code logvar.*}, {@code dec1.*}, {@code dec2.*}; weights are stored
 * {@code (in, out)} so that a layer is {@code x·W + b}.
 *
 * <p>Every result of {@link #loss} and {@link #decode} belongs to the manager of the input array, so a step's
 * temporaries stay in the step's manager; the weights only appear as second operands.
 */
final class Vae {

    private final int inputs;
    private final int latent;
    private final Map<String, NDArray> weights;

    private Vae(int inputs, int latent, Map<String, NDArray> weights) {
        this.inputs = inputs;
        this.latent = latent;
        this.weights = weights;
    }

    /**
     * A fresh autoencoder, every layer drawn uniformly from {@code ±1/√fan_in} (PyTorch's default for linear
     * layers), from the given random source so that equal seeds give equal generators.
     *
     * @param inputs values per sample
     * @param hidden hidden width
     * @param latent latent dimension
     * @param random the source of the initial weights
     * @param manager owner of the weights
     * @return the autoencoder, its weights recording gradients
     */
    static Vae initial(int inputs, int hidden, int latent, Random random, NDManager manager) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        layer(w, "enc", inputs, hidden, random, manager);
        layer(w, "mu", hidden, latent, random, manager);
        layer(w, "logvar", hidden, latent, random, manager);
        layer(w, "dec1", latent, hidden, random, manager);
        layer(w, "dec2", hidden, inputs, random, manager);
        Vae vae = new Vae(inputs, latent, w);
        vae.recordGradients();
        return vae;
    }

    /**
     * Wraps existing weights (a restored state) without copying them.
     *
     * @param weights the arrays {@link #weights()} returned, same names
     * @return the autoencoder
     */
    static Vae of(Map<String, NDArray> weights) {
        Shape enc = weights.get("enc.weight").getShape();
        Shape mu = weights.get("mu.weight").getShape();
        return new Vae(Math.toIntExact(enc.get(0)), Math.toIntExact(mu.get(1)), new LinkedHashMap<>(weights));
    }

    private static void layer(Map<String, NDArray> w, String name, int in, int out, Random random, NDManager m) {
        float bound = (float) (1.0 / Math.sqrt(in));
        w.put(name + ".weight", m.create(uniform(in * out, bound, random), new Shape(in, out)));
        w.put(name + ".bias", m.create(uniform(out, bound, random), new Shape(out)));
    }

    private static float[] uniform(int n, float bound, Random random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * random.nextFloat() - 1) * bound;
        }
        return v;
    }

    /** Makes every weight record its gradient (after creation or a restore). */
    void recordGradients() {
        weights.values().forEach(a -> a.setRequiresGradient(true));
    }

    /** @return values per sample */
    int inputs() {
        return inputs;
    }

    /** @return the latent dimension */
    int latent() {
        return latent;
    }

    /** @return the weights by name, live (updating them in place trains the autoencoder) */
    Map<String, NDArray> weights() {
        return Collections.unmodifiableMap(weights);
    }

    /**
     * A frozen copy: same values, no gradient, unaffected by later training of this one.
     *
     * @param manager owner of the copy
     * @return the copy
     */
    Vae copy(NDManager manager) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            try (NDArray detached = e.getValue().stopGradient()) { // shares storage with the live weight
                NDArray copy = detached.duplicate();
                copy.attach(manager);
                w.put(e.getKey(), copy);
            }
        }
        return new Vae(inputs, latent, w);
    }

    /**
     * The negative evidence lower bound per sample, averaged over the rows: the Bernoulli reconstruction
     * cross-entropy summed over the inputs plus {@code KL(q(z|x) ‖ N(0, I))}. Call it inside a gradient collector
     * to train.
     *
     * @param x samples {@code (n, inputs)} in {@code [0, 1]}
     * @param noise standard normal draws {@code (n, latent)} for the reparameterisation {@code z = μ + σ·ε}
     * @return a scalar
     */
    NDArray loss(NDArray x, NDArray noise) {
        NDArray h = Activation.relu(affine(x, "enc"));
        NDArray mu = affine(h, "mu");
        NDArray logVar = affine(h, "logvar");
        NDArray z = noise.mul(Tensors.scaled(logVar, 0.5).exp()).add(mu);
        NDArray logits = decoderLogits(z);
        // BCE with logits, −[x·log σ(l) + (1−x)·log(1−σ(l))] = softplus(l) − x·l, stable for any l
        NDArray reconstruction = Activation.softPlus(logits).sub(logits.mul(x)).sum(new int[] {1});
        NDArray kl = Tensors.scaled(logVar.exp().add(mu.square()).sub(logVar).sub(1f).sum(new int[] {1}), 0.5);
        return reconstruction.add(kl).mean();
    }

    /**
     * Decodes latent codes to Bernoulli means.
     *
     * @param z codes {@code (n, latent)}
     * @return pixel probabilities {@code (n, inputs)}, owned by the manager of {@code z}
     */
    NDArray decode(NDArray z) {
        return Activation.sigmoid(decoderLogits(z));
    }

    /**
     * Draws samples: codes from the prior, decoded to their Bernoulli means (the usual, noise-free samples).
     *
     * @param n how many
     * @param random the source of the codes
     * @param manager owner of the result and of every temporary
     * @return samples {@code (n, inputs)}
     */
    NDArray sample(int n, Random random, NDManager manager) {
        return decode(gaussian(n, latent, random, manager));
    }

    /**
     * @param rows rows
     * @param columns columns
     * @param random the source
     * @param manager owner of the result
     * @return standard normal draws {@code (rows, columns)}, drawn on the host so runs repeat exactly
     */
    static NDArray gaussian(int rows, int columns, Random random, NDManager manager) {
        float[] v = new float[rows * columns];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.create(v, new Shape(rows, columns));
    }

    private NDArray decoderLogits(NDArray z) {
        return affine(Activation.relu(affine(z, "dec1")), "dec2");
    }

    private NDArray affine(NDArray x, String layer) {
        return x.matMul(weights.get(layer + ".weight")).add(weights.get(layer + ".bias"));
    }
}
