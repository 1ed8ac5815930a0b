package io.graft.runtime.plugin;

import io.graft.api.Protocol;
import java.util.List;

/**
 * What a run offers its plugins, as far as their descriptors' protocols and requirements are concerned.
 *
 * @param protocols the protocols the scenario is evaluated under
 * @param multiHead whether the host has one head per task ({@code model.heads: multi})
 * @param momentum the optimizer's momentum ({@code train.optimizer.momentum})
 */
public record RunTraits(List<Protocol> protocols, boolean multiHead, double momentum) {

    /** Copies the list. */
    public RunTraits {
        protocols = List.copyOf(protocols);
    }

    /**
     * A single-headed run with plain SGD.
     *
     * @param protocols the protocols evaluated
     * @return the traits
     */
    public static RunTraits of(List<Protocol> protocols) {
        return new RunTraits(protocols, false, 0.0);
    }
}
