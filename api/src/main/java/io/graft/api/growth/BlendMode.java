package io.graft.api.growth;

/** What a new module's alpha means. */
public enum BlendMode {
    /** {@code host + α·seed}: the host's output is kept and the seed's is added. */
    RESIDUAL,
    /** {@code (1−α)·host + α·seed}: the seed's output gradually replaces the host's. */
    INTERPOLATIVE
}
