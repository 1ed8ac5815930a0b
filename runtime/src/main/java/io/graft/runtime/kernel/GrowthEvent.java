package io.graft.runtime.kernel;

import java.util.Objects;

/**
 * One change of the network's shape, as the metrics and the report record it.
 *
 * @param step steps taken in the run when it happened
 * @param task the task in progress
 * @param plugin the growth policy that asked for it
 * @param operation what changed: {@code widen}, {@code insert_identity} or {@code remove_units}
 * @param layer the layer changed (for an insertion: the new layer)
 * @param detail the operation's parameters in words, e.g. {@code 32 -> 64 units, noise 0.0}
 * @param parametersBefore scalar weights before
 * @param parametersAfter scalar weights after
 */
public record GrowthEvent(long step, int task, String plugin, String operation, String layer, String detail,
                          long parametersBefore, long parametersAfter) {

    /** Checks the fields. */
    public GrowthEvent {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(detail, "detail");
    }
}
