package io.graft.plugin.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Conversions between arrays and host-side Java arrays. */
public final class HostArrays {

    private HostArrays() {}

    /**
     * @param array any numeric array
     * @return its values as {@code float}s, converted if needed
     */
    public static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray f = array.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /**
     * @param array any integer array
     * @return its values as {@code long}s, converted if needed
     */
    public static long[] longs(NDArray array) {
        if (array.getDataType() == DataType.INT64) {
            return array.toLongArray();
        }
        try (NDArray l = array.toType(DataType.INT64, true)) {
            return l.toLongArray();
        }
    }

    /**
     * @param rows how many samples
     * @param shape the shape of one sample
     * @return the shape of a batch of {@code rows} such samples
     */
    public static long[] dims(long rows, long[] shape) {
        long[] dims = new long[shape.length + 1];
        dims[0] = rows;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        return dims;
    }
}
