package io.graft.plugin.pnn;

/**
 * Which columns of the layer below a column's units read from: the lateral connections of a progressive
 * network, or none at all for independent per-task models.
 */
enum Connectivity {

    /**
     * Column {@code k} reads columns {@code j <= k}: its own weights ({@code j = k}) and the lateral
     * adapters {@code U^(k:j)} from every earlier column (Rusu et al., 2016), a block lower-triangular matrix.
     */
    PROGRESSIVE,

    /** Column {@code k} reads column {@code k} only: block-diagonal, no transfer between tasks. */
    INDEPENDENT;

    /**
     * @param column the column whose units receive
     * @param source a column of the layer below
     * @return whether {@code column}'s units read {@code source}'s
     */
    boolean reads(int column, int source) {
        return this == PROGRESSIVE ? source <= column : source == column;
    }

    /**
     * @param column a column
     * @return how many columns of the layer below it reads
     */
    int sourcesOf(int column) {
        return this == PROGRESSIVE ? column + 1 : 1;
    }
}
