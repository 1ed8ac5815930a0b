package io.graft.plugin.testkit;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** An in-memory {@link StateWriter} and {@link StateReader}, as a host would be, for round-trip tests. */
public final class MapState implements StateWriter, StateReader, AutoCloseable {

    private final NDManager store = NDManager.newBaseManager(Device.cpu());
    private final Map<String, Object> entries = new LinkedHashMap<>();

    @Override
    public void putArray(String key, NDArray value) {
        // duplicate(): toDevice(device, true) on the same device shares storage in the PyTorch engine
        NDArray copy = value.duplicate().toDevice(Device.cpu(), false);
        copy.attach(store);
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
        NDArray copy = ((NDArray) get(key)).duplicate().toDevice(manager.getDevice(), false);
        copy.attach(manager);
        return copy;
    }

    @Override
    public long getLong(String key) {
        return (Long) get(key);
    }

    @Override
    public double getDouble(String key) {
        return (Double) get(key);
    }

    @Override
    public String getString(String key) {
        return (String) get(key);
    }

    private Object get(String key) {
        Object v = entries.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no entry " + key);
        }
        return v;
    }

    @Override
    public void close() {
        store.close();
    }
}
