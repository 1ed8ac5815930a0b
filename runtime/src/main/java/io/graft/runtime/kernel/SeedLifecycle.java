package io.graft.runtime.kernel;

import io.graft.api.growth.SeedStage;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The seed lifecycle's transition table (reference document 000, "Slot States"): the only moves a slot may
 * make. Everything else is refused, naming the slot, both stages and the legal moves from the first.
 */
final class SeedLifecycle {

    private static final Map<SeedStage, Set<SeedStage>> LEGAL = new EnumMap<>(SeedStage.class);

    static {
        LEGAL.put(SeedStage.DORMANT, EnumSet.of(SeedStage.GERMINATED));
        // a branch (zero-initialised, grafted at once) skips training and blending
        LEGAL.put(SeedStage.GERMINATED, EnumSet.of(SeedStage.TRAINING, SeedStage.INTEGRATED));
        LEGAL.put(SeedStage.TRAINING, EnumSet.of(SeedStage.BLENDING, SeedStage.PRUNED));
        LEGAL.put(SeedStage.BLENDING, EnumSet.of(SeedStage.INTEGRATED, SeedStage.PRUNED));
        LEGAL.put(SeedStage.INTEGRATED, EnumSet.of(SeedStage.PRUNED));
        LEGAL.put(SeedStage.PRUNED, EnumSet.of(SeedStage.EMBARGOED));
        LEGAL.put(SeedStage.EMBARGOED, EnumSet.of(SeedStage.DORMANT));
    }

    private SeedLifecycle() {
    }

    /**
     * @param from the current stage
     * @param to the stage asked for
     * @return whether the move is in the table
     */
    static boolean legal(SeedStage from, SeedStage to) {
        return LEGAL.get(from).contains(to);
    }

    /**
     * @param slot the slot's address, for the message
     * @param from the current stage
     * @param to the stage asked for
     * @throws IllegalStateException when the move is not in the table
     */
    static void check(String slot, SeedStage from, SeedStage to) {
        if (!legal(from, to)) {
            throw new IllegalStateException("slot " + slot + ": a seed cannot go from " + from.key() + " to " + to.key()
                    + "; from " + from.key() + " it may go to "
                    + LEGAL.get(from).stream().map(SeedStage::key).collect(Collectors.joining(" or ")));
        }
    }
}
