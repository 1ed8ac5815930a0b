package io.graft.api.growth;

import io.graft.api.Plugin;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Moves a new module's alpha from 0 (no effect on the host) to 1 (fully blended in): linear, sigmoid,
 * cosine, step, or a learned gate.
 */
@ConsumerType
public interface BlendSchedule extends Plugin {

    /**
     * @param stepsSinceStart steps since blending began, from 0
     * @return alpha in {@code [0, 1]}
     */
    double alpha(long stepsSinceStart);

    /**
     * @param stepsSinceStart steps since blending began
     * @return whether blending is over (alpha has reached its final value)
     */
    boolean finished(long stepsSinceStart);

    /** @return how alpha combines host and module; residual unless overridden */
    default BlendMode mode() {
        return BlendMode.RESIDUAL;
    }
}
