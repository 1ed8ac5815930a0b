package io.graft.api.growth;

/** What a new module's alpha means. */
public enum BlendMode {
    /** {@code host + α·seed}: the host's output is kept and the seed's is added. */
    RESIDUAL,
    /** {@code (1−α)·host + α·seed}: the seed's output gradually replaces the host's. */
    INTERPOLATIVE,
    /**
     * {@code host + α·g(x)·seed}: residual, with a learned input-dependent gate {@code g(x) = σ(v·x + c)} that the
     * kernel adds to the seed (trained with it, starting at 1/2) and that the schedule's alpha scales.
     *
     * @since 1.2
     */
    GATED
}
