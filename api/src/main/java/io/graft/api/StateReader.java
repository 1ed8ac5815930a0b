package io.graft.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/** Gives back the entries a plugin wrote with {@link StateWriter}. */
@ProviderType
public interface StateReader {

    /**
     * The names of every stored entry.
     *
     * @return the keys
     */
    Set<String> keys();

    /**
     * Reads an array into the given manager (usually the run manager).
     *
     * @param key entry name
     * @param manager owner of the returned array
     * @return the array
     * @throws IllegalArgumentException if there is no such array
     */
    NDArray getArray(String key, NDManager manager);

    /**
     * Reads a whole number.
     *
     * @param key entry name
     * @return the value
     * @throws IllegalArgumentException if there is no such entry
     */
    long getLong(String key);

    /**
     * Reads a real number.
     *
     * @param key entry name
     * @return the value
     * @throws IllegalArgumentException if there is no such entry
     */
    double getDouble(String key);

    /**
     * Reads a string.
     *
     * @param key entry name
     * @return the value
     * @throws IllegalArgumentException if there is no such entry
     */
    String getString(String key);
}
