package io.graft.api.growth;

/**
 * Where a slot's seed is in its life. The kernel keeps a transition table and refuses any other move:
 * <pre>
 * DORMANT    → GERMINATED                 a policy germinates a blueprint in the empty slot
 * GERMINATED → TRAINING | INTEGRATED      training starts at the next step; a branch is grafted at once
 * TRAINING   → BLENDING | PRUNED          after its training steps; or culled
 * BLENDING   → INTEGRATED | PRUNED        when the blend schedule has finished; or culled
 * INTEGRATED → PRUNED                     culled after all (its contribution turned negative)
 * PRUNED     → EMBARGOED                  at once: the slot cools down
 * EMBARGOED  → DORMANT                    after the embargo's steps
 * </pre>
 */
public enum SeedStage {
    /** The slot is empty and may receive a seed. */
    DORMANT,
    /** A seed module exists, initialised so that it changes nothing, and has not trained yet. */
    GERMINATED,
    /**
     * The seed learns from the host's detached activations on a shadow path of its own; the host's output
     * is unchanged (alpha 0) and the host receives no gradient through the seed.
     */
    TRAINING,
    /** The seed's output is faded in by its blend schedule; the seed still sees detached host activations. */
    BLENDING,
    /** The seed is part of the network (alpha 1, or its learned gate); gradients flow through it freely. */
    INTEGRATED,
    /** The seed was removed; its parameters are gone. */
    PRUNED,
    /** The slot is cooling down after a removal and cannot receive a seed yet. */
    EMBARGOED;

    /** @return whether a seed module exists in this stage (germinated, training, blending or integrated) */
    public boolean live() {
        return this == GERMINATED || this == TRAINING || this == BLENDING || this == INTEGRATED;
    }

    /** @return the stage as written in metrics and reports, e.g. {@code blending} */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
