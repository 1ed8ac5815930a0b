package io.graft.api.masking;

import ai.djl.ndarray.NDArray;
import io.graft.api.Plugin;
import io.graft.api.model.Parameter;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Masks the network per task in the forward pass. The kernel asks for every parameter and every hidden
 * layer at each training step, at each evaluation batch and in {@link io.graft.api.model.ModelView#predict};
 * {@code null} leaves that part of the network as it is. Several masking plugins multiply.
 *
 * <ul>
 *   <li>A <b>weight mask</b> multiplies a parameter's value, the parameter itself untouched: PackNet shows
 *       task {@code t} only the weights tasks {@code 0..t} own; a progressive network keeps later columns
 *       out of earlier ones. The gradient of a masked entry is zero.</li>
 *   <li>A <b>unit mask</b> multiplies the outputs of a hidden layer after its activation, one value per unit:
 *       HAT's gate {@code σ(s·e_t)}. In a training step it is part of the graph, so a plugin that computes it
 *       from its own arrays with {@code setRequiresGradient(true)} receives their gradients at backward and
 *       updates them itself (in {@code GradientTransform.transform} or {@code afterStep}).</li>
 * </ul>
 *
 * <p>A mask is either an array the plugin keeps (a fixed per-task mask; the kernel neither moves nor closes
 * it) or one made for this pass and attached to {@link MaskQuery#manager()}: an operation on the plugin's
 * own arrays lands in their manager, so a computed gate must be attached explicitly, or it would pile up
 * there. In evaluation any other array the call creates is closed when it returns; in a training step it is
 * not (backward may still read it, e.g. a factor a gate was scaled by), so create temporaries in
 * {@link MaskQuery#manager()}, which the kernel closes after the step, or close them yourself.
 * With {@code training() == false} return a mask without a gradient path. Freezing what a mask protects (zeroing gradients of weights earlier tasks own) is the job of a
 * {@link io.graft.api.gradient.GradientTransform}, usually the same plugin.
 *
 * @since api 1.1
 */
@ConsumerType
public interface TaskMask extends Plugin {

    /**
     * @param parameter a parameter of the network, e.g. {@code fc1.weight}
     * @param query the task and phase
     * @return a multiplier of the parameter's shape (0/1 or soft), or {@code null} for none
     */
    default NDArray weightMask(Parameter parameter, MaskQuery query) {
        return null;
    }

    /**
     * @param layer a hidden layer, e.g. {@code fc1} (the head {@code out} is never unit-masked)
     * @param width its number of units
     * @param query the task and phase
     * @return a multiplier of shape {@code (width)}, or {@code null} for none
     */
    default NDArray unitMask(String layer, int width, MaskQuery query) {
        return null;
    }
}
