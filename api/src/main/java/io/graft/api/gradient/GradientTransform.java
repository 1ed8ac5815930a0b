package io.graft.api.gradient;

import io.graft.api.Plugin;
import io.graft.api.train.StepContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Changes the gradients after backward and before the optimizer step, in place through
 * {@link io.graft.api.model.Parameter#gradient()}: A-GEM and GEM project them against reference gradients
 * (from {@link io.graft.api.model.ModelView#gradients}), HAT and PackNet mask the units earlier tasks
 * own, gradient isolation zeroes a frozen region.
 */
@ConsumerType
public interface GradientTransform extends Plugin {

    /**
     * @param step the step in progress, gradients filled
     */
    void transform(StepContext step);
}
