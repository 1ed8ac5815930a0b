package io.graft.api;

import ai.djl.ndarray.NDArray;
import org.osgi.annotation.versioning.ProviderType;

/** Receives a plugin's state as named entries; the host decides where and how it is stored. */
@ProviderType
public interface StateWriter {

    /**
     * Stores a copy of an array.
     *
     * @param key entry name, unique within the plugin
     * @param value the array; copied, so the caller keeps ownership
     */
    void putArray(String key, NDArray value);

    /**
     * Stores a whole number.
     *
     * @param key entry name
     * @param value the value
     */
    void putLong(String key, long value);

    /**
     * Stores a real number.
     *
     * @param key entry name
     * @param value the value
     */
    void putDouble(String key, double value);

    /**
     * Stores a string.
     *
     * @param key entry name
     * @param value the value
     */
    void putString(String key, String value);
}
