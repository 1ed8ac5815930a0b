package io.graft.runtime.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One plugin's state in a checkpoint: its arrays (copied when written, so the plugin may change its own afterwards)
 * under {@code prefix + key} in the checkpoint's array file, its numbers and strings in a JSON object. Written by a
 * plugin's {@code saveState}, read by its {@code restoreState}.
 */
public final class StateRecord implements StateWriter, StateReader {

    private final Map<String, NDArray> arrays;
    private final String prefix;
    private final ObjectNode values;
    private final NDManager owner;

    /**
     * @param arrays the checkpoint's arrays (written into, or read from)
     * @param prefix this plugin's prefix there, e.g. {@code plugin/ewc/}
     * @param values this plugin's numbers and strings
     * @param owner owner of the copies written (null when reading)
     */
    public StateRecord(Map<String, NDArray> arrays, String prefix, ObjectNode values, NDManager owner) {
        this.arrays = arrays;
        this.prefix = prefix;
        this.values = values;
        this.owner = owner;
    }

    /**
     * @param arrays the checkpoint's arrays to write into
     * @param prefix the plugin's prefix
     * @param owner owner of the copies
     * @return an empty record to write
     */
    public static StateRecord writing(Map<String, NDArray> arrays, String prefix, NDManager owner) {
        return new StateRecord(arrays, prefix, JsonNodeFactory.instance.objectNode(), owner);
    }

    /** @return the numbers and strings written */
    public ObjectNode values() {
        return values;
    }

    @Override
    public void putArray(String key, NDArray value) {
        NDArray copy = value.duplicate();
        copy.attach(owner);
        arrays.put(prefix + key, copy);
        values.putObject("@" + key);
    }

    @Override
    public void putLong(String key, long value) {
        values.put(key, value);
    }

    @Override
    public void putDouble(String key, double value) {
        // as text: JSON has no NaN or infinity
        values.put(key, Double.toString(value));
    }

    @Override
    public void putString(String key, String value) {
        values.putObject(key).put("s", value);
    }

    @Override
    public Set<String> keys() {
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            out.add(k.startsWith("@") ? k.substring(1) : k);
        }
        return out;
    }

    @Override
    public NDArray getArray(String key, NDManager manager) {
        NDArray a = arrays.get(prefix + key);
        if (a == null) {
            throw new IllegalArgumentException("no array '" + key + "' in the saved state; it has " + keys());
        }
        NDArray copy = a.duplicate();
        copy.attach(manager);
        return copy;
    }

    @Override
    public long getLong(String key) {
        return node(key).asLong();
    }

    @Override
    public double getDouble(String key) {
        return Double.parseDouble(node(key).asText());
    }

    @Override
    public String getString(String key) {
        return node(key).path("s").asText();
    }

    private JsonNode node(String key) {
        JsonNode n = values.get(key);
        if (n == null) {
            throw new IllegalArgumentException("no value '" + key + "' in the saved state; it has " + keys());
        }
        return n;
    }
}
