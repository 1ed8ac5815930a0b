package ${package};

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Holds what a plugin saves, in memory, and gives it back: a checkpoint without the disk. */
final class MemoryState implements StateWriter, StateReader, AutoCloseable {

    private final NDManager arrays = NDManager.newBaseManager();
    private final Map<String, Object> entries = new HashMap<>();

    @Override
    public void putArray(String key, NDArray value) {
        NDArray copy = value.duplicate(); // the writer copies: the plugin keeps its own array
        copy.attach(arrays);
        entries.put(key, copy);
    }

    @Override
    public void putLong(String key, long value) {
        entries.put(key, value);
    }

    @Override
    public void putDouble(String key, double value) {
        entries.put(key, value);
    }

    @Override
    public void putString(String key, String value) {
        entries.put(key, value);
    }

    @Override
    public Set<String> keys() {
        return entries.keySet();
    }

    @Override
    public NDArray getArray(String key, NDManager manager) {
        NDArray copy = get(key, NDArray.class).duplicate();
        copy.attach(manager);
        return copy;
    }

    @Override
    public long getLong(String key) {
        return get(key, Long.class);
    }

    @Override
    public double getDouble(String key) {
        return get(key, Double.class);
    }

    @Override
    public String getString(String key) {
        return get(key, String.class);
    }

    private <T> T get(String key, Class<T> type) {
        Object value = entries.get(key);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("no " + type.getSimpleName() + " entry '" + key + "'");
        }
        return type.cast(value);
    }

    @Override
    public void close() {
        arrays.close();
    }
}
