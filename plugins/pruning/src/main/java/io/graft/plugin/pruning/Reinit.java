package io.graft.plugin.pruning;

/** What the surviving weights start from after a lottery round. */
public enum Reinit {
    /** the weights saved at the rewind step: the lottery ticket */
    REWIND,
    /**
     * the control: the same rounds and masks as {@link #REWIND}, but after the last round every parameter is drawn
     * afresh from the host's initial distribution, so the final mask trains from a random initialisation
     */
    RANDOM
}
