package io.graft.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin whose state must survive a checkpoint or a hot swap: EWC's Fisher and anchor parameters, a
 * replay buffer, SI's path integral. The host calls {@link #saveState} at checkpoints and
 * {@link #restoreState} on resume or when a new version of the plugin takes over a run.
 */
@ConsumerType
public interface Stateful {

    /**
     * Names the layout of the saved state. A new plugin version that can read the old layout keeps the same
     * format; one that cannot changes it, and the host then starts it fresh instead of restoring.
     *
     * @return the state format, {@code "1"} unless overridden
     */
    default String stateFormat() {
        return "1";
    }

    /**
     * Writes the whole state.
     *
     * @param out where to write
     */
    void saveState(StateWriter out);

    /**
     * Replaces the state with one written by {@link #saveState} in the same {@link #stateFormat()}.
     *
     * @param in what was written
     */
    void restoreState(StateReader in);
}
