package io.graft.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint's files: arrays bit for bit, plugin states, and the atomic swap of the folder. */
class CheckpointFilesTest {

    @TempDir
    Path tmp;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void arraysComeBackBitForBitWithTheirTypesShapesAndOrder() throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        arrays.put("param/fc1.weight", manager.randomNormal(new Shape(3, 4)));
        arrays.put("velocity/fc1.weight", manager.create(new float[] {Float.NaN, -0f, Float.MIN_VALUE, 1e38f},
                new Shape(2, 2)));
        arrays.put("plugin/er/labels", manager.create(new long[] {7, 1, 3}));
        arrays.put("scalar", manager.create(2.5));
        Path file = tmp.resolve("arrays.bin");
        ArrayFile.write(file, arrays);
        Map<String, NDArray> back = ArrayFile.read(file, manager);
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.keySet()));
        for (String k : arrays.keySet()) {
            assertEquals(arrays.get(k).getShape(), back.get(k).getShape(), k);
            assertEquals(arrays.get(k).getDataType(), back.get(k).getDataType(), k);
            assertArrayEquals(arrays.get(k).toByteArray(), back.get(k).toByteArray(), k);
        }
        assertEquals(DataType.INT64, back.get("plugin/er/labels").getDataType());
        Files.writeString(tmp.resolve("not.bin"), "hello, world, this is not an array file");
        assertThrows(IOException.class, () -> ArrayFile.read(tmp.resolve("not.bin"), manager));
    }

    @Test
    void aPluginsStateRoundTripsThroughARecord() {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        StateRecord out = StateRecord.writing(arrays, "plugin/ewc/", manager);
        NDArray fisher = manager.create(new float[] {1, 2, 3});
        out.putArray("fisher.fc1.weight", fisher);
        out.putLong("tasks", 3);
        out.putDouble("lambda", Double.NaN);
        out.putString("mode", "online");
        fisher.muli(0);   // the record holds a copy
        StateRecord in = new StateRecord(arrays, "plugin/ewc/", out.values(), null);
        assertEquals(Set.of("fisher.fc1.weight", "tasks", "lambda", "mode"), in.keys());
        assertArrayEquals(new float[] {1, 2, 3}, in.getArray("fisher.fc1.weight", manager).toFloatArray());
        assertEquals(3, in.getLong("tasks"));
        assertTrue(Double.isNaN(in.getDouble("lambda")));
        assertEquals("online", in.getString("mode"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> in.getLong("gamma"));
        assertTrue(missing.getMessage().startsWith("no value 'gamma'"), missing.getMessage());
    }

    @Test
    void theFolderIsReplacedAtomicallyAndAPartialOneIsNeverTaken() throws IOException {
        CheckpointFolder folder = new CheckpointFolder(tmp);
        assertTrue(folder.latest().isEmpty());
        Files.writeString(folder.begin().resolve("state.json"), "{\"step\":1}");
        assertTrue(folder.latest().isEmpty(), "an unfinished checkpoint is not one");
        folder.commit();
        assertEquals(tmp.resolve("checkpoint"), folder.latest().orElseThrow());
        Files.writeString(folder.begin().resolve("state.json"), "{\"step\":2}");
        // a crash now: the new one is partial, the current one stands
        assertEquals("{\"step\":1}", Files.readString(folder.latest().orElseThrow().resolve("state.json")));
        folder.commit();
        assertEquals("{\"step\":2}", Files.readString(folder.latest().orElseThrow().resolve("state.json")));
        assertFalse(Files.exists(tmp.resolve("checkpoint.new")));
        assertFalse(Files.exists(tmp.resolve("checkpoint.old")));
    }
}
