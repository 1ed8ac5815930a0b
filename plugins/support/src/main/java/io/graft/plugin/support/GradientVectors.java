package io.graft.plugin.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import java.util.List;
import java.util.Map;

/**
 * A gradient split over several parameters, taken as one flat vector: the reference gradient of a memory batch,
 * and dot products and scaled additions over the parts.
 */
public final class GradientVectors {

    private GradientVectors() {}

    /**
     * The mean softmax cross-entropy of logits against labels, as the kernel's training loss.
     *
     * @param logits {@code (n, classes)}
     * @param targets labels {@code (n, 1)}, int64
     * @return a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).gather(targets, 1).mean().neg();
    }

    /**
     * The gradient of the {@link #crossEntropy mean softmax cross-entropy} of some samples (over all outputs,
     * with their own labels) with respect to the parameters, computed with {@link ModelView#gradients}.
     *
     * @param model the model
     * @param features the samples
     * @param targets their labels {@code (n, 1)}, int64
     * @param manager owner of the result
     * @return parameter name to gradient
     */
    public static Map<String, NDArray> reference(ModelView model, NDArray features, NDArray targets,
            NDManager manager) {
        return model.gradients(features, logits -> crossEntropy(logits, targets), manager);
    }

    /**
     * @param a the parts of one vector
     * @param b the parts of another, same shapes in the same order
     * @param manager owner of the temporaries
     * @return {@code a·b} as a scalar array, or {@code null} if there are no parts
     */
    public static NDArray dot(List<NDArray> a, List<NDArray> b, NDManager manager) {
        NDArray dot = null;
        for (int i = 0; i < a.size(); i++) {
            NDArray d = a.get(i).mul(b.get(i));
            d.attach(manager);
            NDArray part = d.sum();
            dot = dot == null ? part : dot.add(part);
        }
        return dot;
    }

    /**
     * {@code y ← y + alpha·x}, part by part, in place.
     *
     * @param alpha the factor
     * @param x the parts of {@code x}
     * @param y the parts of {@code y}, same shapes in the same order, edited in place
     * @param manager owner of the temporaries
     */
    public static void axpy(float alpha, List<NDArray> x, List<NDArray> y, NDManager manager) {
        for (int i = 0; i < x.size(); i++) {
            NDArray step = x.get(i).mul(alpha);
            step.attach(manager);
            y.get(i).addi(step);
        }
    }
}
