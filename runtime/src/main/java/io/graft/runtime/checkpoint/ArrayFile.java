package io.graft.runtime.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named arrays in one file, exactly: name, data type, shape and the raw bytes (little-endian) of each, in order. Read
 * back on any device, the values are bit for bit the ones written.
 */
public final class ArrayFile {

    private static final int MAGIC = 0x47524654;   // "GRFT"
    private static final int VERSION = 1;

    private ArrayFile() {}

    /**
     * @param file the file to write (replaced)
     * @param arrays the arrays by name, in the order to keep
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(arrays.size());
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                NDArray a = e.getValue();
                out.writeUTF(e.getKey());
                out.writeUTF(a.getDataType().name());
                long[] shape = a.getShape().getShape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * @param file a file written by {@link #write}
     * @param manager owner of the arrays read
     * @return the arrays by name, in the order written
     * @throws IOException when the file cannot be read or is not an array file
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a Graft array file of version " + VERSION);
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                DataType type = DataType.valueOf(in.readUTF());
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                ByteBuffer data = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
                data.put(bytes).rewind();
                NDArray a = manager.create(data, new Shape(shape), type);
                arrays.put(name, a);
            }
        }
        return arrays;
    }
}
