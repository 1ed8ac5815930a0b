package io.graft.plugin.mas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.Batch;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.train.TaskData;
import io.graft.plugin.support.Sampling;
import io.graft.plugin.support.Tensors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Estimates the MAS importance of every weight on a task's data (Aljundi et al., 2018):
 * {@code Ω = mean over samples x of |∂‖f(x)‖²₂ / ∂θ|}, {@code f(x)} being the logits. No label is needed.
 *
 * <p>With {@code batch = 1} every sample gets its own gradient and the estimate is exact. With a larger batch
 * the gradient of the batch's mean squared norm is taken and its absolute value weighted by the batch's size;
 * because {@code |Σ g| ≤ Σ |g|} this is a smaller, cheaper estimate (what batched implementations compute).
 */
final class ImportanceEstimator {

    private final int samples;
    private final int batch;

    /**
     * @param samples how many training samples to draw (capped at the task's size)
     * @param batch samples per gradient computation
     */
    ImportanceEstimator(int samples, int batch) {
        if (samples < 1 || batch < 1) {
            throw new IllegalArgumentException("samples and batch must be >= 1: " + samples + ", " + batch);
        }
        this.samples = samples;
        this.batch = batch;
    }

    /**
     * @param model the model, in its state at the end of the task
     * @param data the task's training data
     * @param random source of the sample indices
     * @param manager owner of the returned arrays
     * @return parameter name to its importance, same shape as the parameter, in parameter order; zero where a
     *     parameter gets no gradient
     */
    Map<String, NDArray> estimate(ModelView model, TaskData data, Random random, NDManager manager) {
        Map<String, NDArray> importance = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            NDArray value = p.array();
            importance.put(p.name(), manager.zeros(value.getShape(), value.getDataType()));
        }
        int n = Math.min(samples, data.size());
        if (n == 0) {
            return importance;
        }
        int[] drawn = Sampling.withoutReplacement(data.size(), n, random);
        for (int from = 0; from < n; from += batch) {
            int[] chunk = Arrays.copyOfRange(drawn, from, Math.min(n, from + batch));
            float weight = chunk.length;
            try (NDManager scratch = manager.newSubManager()) {
                Batch b = data.batch(chunk, scratch);
                Map<String, NDArray> grads = model.gradients(b.features(), ImportanceEstimator::meanSquaredNorm, scratch);
                for (Map.Entry<String, NDArray> g : grads.entrySet()) {
                    NDArray sum = importance.get(g.getKey());
                    if (sum != null && sum.getShape().equals(g.getValue().getShape())) {
                        NDArray magnitude = g.getValue().abs();
                        magnitude.attach(scratch);
                        sum.addi(chunk.length == 1 ? magnitude : magnitude.muli(weight));
                    }
                }
            }
        }
        for (NDArray omega : importance.values()) {
            omega.divi(n);
        }
        return importance;
    }

    /**
     * @param logits {@code (n, outputs)}, with gradient
     * @return the mean over the rows of the squared L2 norm of the logits, a scalar
     */
    static NDArray meanSquaredNorm(NDArray logits) {
        long rows = logits.getShape().get(0);
        NDArray squares = logits.square();
        NDArray sum = squares.sum();
        return rows == 1 ? sum : Tensors.scaled(sum, 1.0 / rows);
    }
}
