package io.graft.plugin.ewc;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.Batch;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.train.TaskData;
import io.graft.plugin.support.Sampling;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Estimates the diagonal of the Fisher information of the model on a task's data:
 * {@code F = E_x E_{y~p(y|x)} [ (∂ log p(y|x) / ∂θ)² ]}.
 *
 * <p>Labels are sampled from the model's own predictive distribution (not taken from the data), so the
 * estimate is of the true Fisher rather than the "empirical" one. With {@code batch = 1} every sample gets
 * its own gradient and the estimate is the mean of the squared per-sample gradients. With a larger batch the
 * gradient of the <em>summed</em> log-likelihood of the batch is squared instead and the result divided by the
 * number of samples: because each sampled-label score has zero mean, the cross terms vanish in expectation,
 * so the estimate stays unbiased; it is only noisier, and needs fewer gradient computations.
 */
final class FisherEstimator {

    private final int samples;
    private final int batch;

    /**
     * @param samples how many training samples to draw (capped at the task's size)
     * @param batch samples per gradient computation
     */
    FisherEstimator(int samples, int batch) {
        if (samples < 1 || batch < 1) {
            throw new IllegalArgumentException("samples and batch must be >= 1: " + samples + ", " + batch);
        }
        this.samples = samples;
        this.batch = batch;
    }

    /**
     * @param model the model, in its state at the end of the task
     * @param data the task's training data
     * @param random source for the sample indices and the sampled labels
     * @param manager owner of the returned arrays
     * @return parameter name to its Fisher diagonal, same shape as the parameter, in parameter order;
     *     zero where a parameter gets no gradient
     */
    Map<String, NDArray> estimate(ModelView model, TaskData data, Random random, NDManager manager) {
        Map<String, NDArray> fisher = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            NDArray value = p.array();
            fisher.put(p.name(), manager.zeros(value.getShape(), value.getDataType()));
        }
        int n = Math.min(samples, data.size());
        if (n == 0) {
            return fisher;
        }
        int[] drawn = Sampling.withoutReplacement(data.size(), n, random);
        for (int start = 0; start < n; start += batch) {
            int[] chunk = java.util.Arrays.copyOfRange(drawn, start, Math.min(n, start + batch));
            try (NDManager scratch = manager.newSubManager()) {
                Batch b = data.batch(chunk, scratch);
                Map<String, NDArray> grads = model.gradients(b.features(),
                        logits -> sampledNegativeLogLikelihood(logits, random, scratch), scratch);
                for (Map.Entry<String, NDArray> g : grads.entrySet()) {
                    NDArray sum = fisher.get(g.getKey());
                    if (sum != null && sum.getShape().equals(g.getValue().getShape())) {
                        NDArray squared = g.getValue().square();
                        squared.attach(scratch);
                        sum.addi(squared);
                    }
                }
            }
        }
        for (NDArray f : fisher.values()) {
            f.divi(n);
        }
        return fisher;
    }

    /**
     * The summed negative log-likelihood of labels drawn from the model's own softmax.
     *
     * @param logits {@code (n, classes)}, with gradient
     * @param random source of the labels
     * @param scratch owner of the temporaries
     * @return a scalar
     */
    static NDArray sampledNegativeLogLikelihood(NDArray logits, Random random, NDManager scratch) {
        Shape shape = logits.getShape();
        int rows = Math.toIntExact(shape.get(0));
        int classes = Math.toIntExact(shape.get(shape.dimension() - 1));
        NDArray detached = logits.stopGradient();
        detached.attach(scratch);
        NDArray probabilities = detached.toType(DataType.FLOAT32, false).softmax(-1);
        probabilities.attach(scratch);
        float[] p = probabilities.toFloatArray();
        float[] oneHot = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            oneHot[r * classes + sampleClass(p, r * classes, classes, random)] = 1f;
        }
        NDArray mask = scratch.create(oneHot, new Shape(rows, classes)).toType(logits.getDataType(), false);
        mask.attach(scratch);
        NDArray logProbabilities = logits.logSoftmax(-1);
        logProbabilities.attach(scratch);
        return logProbabilities.mul(mask).sum().neg();
    }

    private static int sampleClass(float[] p, int offset, int classes, Random random) {
        double u = random.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int c = 0; c < classes; c++) {
            double pc = p[offset + c];
            if (pc > 0) {
                cumulative += pc;
                last = c;
                if (u < cumulative) {
                    return c;
                }
            }
        }
        return last; // rounding left u just above the total
    }
}
