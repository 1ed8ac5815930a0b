package io.graft.runtime.kernel;

import io.graft.api.growth.SeedStage;
import java.util.Objects;

/**
 * One move of a slot's seed through its lifecycle, as the metrics and the report's timeline record it.
 *
 * @param step steps taken in the run when it happened
 * @param task the task in progress
 * @param plugin the growth policy that caused it, or {@code kernel} for moves the schedule makes
 * @param slot the slot's address, e.g. {@code r1c0}
 * @param layer the host layer the slot sees
 * @param from the stage before
 * @param to the stage after
 * @param reason why, in words
 * @param parametersBefore the network's scalar weights before
 * @param parametersAfter after
 * @param contribution the seed's last measured contribution (accuracy with minus without), NaN if unmeasured
 * @param alpha the seed's alpha after the move
 */
public record SeedEvent(long step, int task, String plugin, String slot, String layer, SeedStage from, SeedStage to,
                        String reason, long parametersBefore, long parametersAfter, double contribution,
                        double alpha) {

    /** Checks the fields. */
    public SeedEvent {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
