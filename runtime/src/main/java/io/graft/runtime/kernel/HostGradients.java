package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link io.graft.api.model.ModelView#gradients} for a host: opens its own {@code GradientCollector}, so it runs
 * only outside the training step's gradient scope (PyTorch allows one open collector per JVM). The gradients of
 * the step in progress are saved first and restored after, so a plugin may call it from
 * {@code GradientTransform.transform}.
 */
final class HostGradients {

    private HostGradients() {}

    /**
     * @param host the network, in evaluation mode for this pass
     * @param forward the forward pass to differentiate (the host's, with the view's masks)
     * @param features inputs
     * @param loss scalar loss of the logits
     * @param target owner of the returned gradients
     * @return gradient per parameter name, zeros where the loss does not reach
     */
    static Map<String, NDArray> of(Host host, UnaryOperator<NDArray> forward, NDArray features,
                                   UnaryOperator<NDArray> loss, NDManager target) {
        List<HostParameter> parameters = host.hostParameters();
        Map<String, NDArray> result = new LinkedHashMap<>();
        try (NDManager scratch = target.newSubManager()) {
            NDArray[] saved = new NDArray[parameters.size()];
            for (int i = 0; i < saved.length; i++) {
                NDArray p = parameters.get(i).array();
                NDArray g = p.getGradient();
                if (g != null) {
                    g.attach(scratch);
                    saved[i] = g.duplicate();
                    saved[i].attach(scratch);
                    Engines.zeroGradient(p);
                }
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                GradientCollector collector;
                try {
                    collector = host.manager().getEngine().newGradientCollector();
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("ModelView.gradients() needs its own GradientCollector but one"
                            + " is already open; call it outside any gradient scope", e);
                }
                try (collector) {
                    collector.backward(loss.apply(forward.apply(features)));
                }
            }
            for (int i = 0; i < saved.length; i++) {
                HostParameter hp = parameters.get(i);
                NDArray g = hp.array().getGradient();
                NDArray copy;
                if (g == null) {
                    copy = target.zeros(hp.array().getShape(), hp.array().getDataType());
                } else {
                    g.attach(scratch);
                    copy = g.duplicate();
                    copy.attach(target);
                    Engines.zeroGradient(hp.array());
                    if (saved[i] != null) {
                        g.addi(saved[i]);
                    }
                }
                result.put(hp.name(), copy);
            }
        }
        return result;
    }
}
