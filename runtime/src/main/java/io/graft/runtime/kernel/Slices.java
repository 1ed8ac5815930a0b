package io.graft.runtime.kernel;

import java.util.Arrays;

/**
 * Host-side rearrangements of a layer's flat float values by unit, for growth: a unit is a row of a weight (an
 * output unit or channel) or a block of columns of the next layer's weight (its inputs from that unit: one
 * column of a dense layer, one 3x3 kernel per output channel of a convolution, or a channel's {@code h·w}
 * columns of the dense layer after the flattening).
 */
final class Slices {

    private Slices() {}

    /**
     * @param values row-major rows of {@code rowLength}
     * @param rowLength values per row
     * @param source per new row, the old row it copies
     * @return the new rows
     */
    static float[] gatherRows(float[] values, int rowLength, int[] source) {
        float[] r = new float[source.length * rowLength];
        for (int j = 0; j < source.length; j++) {
            System.arraycopy(values, source[j] * rowLength, r, j * rowLength, rowLength);
        }
        return r;
    }

    /**
     * @param values {@code rows × units × block} values, row-major
     * @param rows rows (the next layer's outputs)
     * @param units units of the changed layer now
     * @param block values per row that belong to one unit
     * @param source per new unit, the old unit it copies
     * @param share per new unit, the factor of its copied values, or {@code null} for 1
     * @return {@code rows × source.length × block} values
     */
    static float[] gatherColumnBlocks(float[] values, int rows, int units, int block, int[] source, double[] share) {
        float[] r = new float[rows * source.length * block];
        for (int o = 0; o < rows; o++) {
            for (int j = 0; j < source.length; j++) {
                int from = (o * units + source[j]) * block;
                int to = (o * source.length + j) * block;
                for (int i = 0; i < block; i++) {
                    r[to + i] = share == null ? values[from + i] : (float) (values[from + i] * share[j]);
                }
            }
        }
        return r;
    }

    /** Zeroes the rows from {@code firstNew} on, in place. */
    static float[] zeroRowsFrom(float[] values, int rowLength, int firstNew) {
        Arrays.fill(values, firstNew * rowLength, values.length, 0f);
        return values;
    }

    /** Zeroes, in every row, the column blocks of the units from {@code firstNew} on, in place. */
    static float[] zeroColumnBlocksFrom(float[] values, int rows, int units, int block, int firstNew) {
        for (int o = 0; o < rows; o++) {
            Arrays.fill(values, (o * units + firstNew) * block, (o + 1) * units * block, 0f);
        }
        return values;
    }
}
