package io.graft.plugin.packnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The device copies of the masks {@link Ownership} describes, made once and kept: the forward mask of each
 * packed task (it never changes, since a later task claims only free entries) and the gradient mask of the task
 * in training (remade when it is packed). A mask that would be all ones is kept as "none".
 */
final class MaskCache implements AutoCloseable {

    private final Map<Integer, Map<String, Optional<NDArray>>> visible = new HashMap<>();
    private final Map<String, Optional<NDArray>> trainable = new LinkedHashMap<>();
    private int trainableTask = -1;
    private boolean trainablePacked;

    /**
     * @param ownership who owns what
     * @param name a parameter name
     * @param task a packed task
     * @param type the parameter's data type
     * @param manager owner of a new mask (the plugin's state)
     * @return the forward mask, or {@code null} when every entry is visible
     */
    NDArray visible(Ownership ownership, String name, int task, DataType type, NDManager manager) {
        Map<String, Optional<NDArray>> ofTask = visible.computeIfAbsent(task, t -> new HashMap<>());
        return ofTask.computeIfAbsent(name, n ->
                device(ownership.visible(n, task), ownership.shape(n), type, manager)).orElse(null);
    }

    /**
     * @param ownership who owns what
     * @param name a parameter name
     * @param task the task in training
     * @param packed whether it has been packed
     * @param type the parameter's data type
     * @param manager owner of a new mask (the plugin's state)
     * @return the gradient mask, or {@code null} when the task may change every entry
     */
    NDArray trainable(Ownership ownership, String name, int task, boolean packed, DataType type,
                      NDManager manager) {
        if (task != trainableTask || packed != trainablePacked) {
            closeAll(trainable);
            trainableTask = task;
            trainablePacked = packed;
        }
        return trainable.computeIfAbsent(name, n ->
                device(ownership.trainable(n, task, packed), ownership.shape(n), type, manager)).orElse(null);
    }

    /** Drops every mask (the ownership was replaced). */
    void clear() {
        for (Map<String, Optional<NDArray>> ofTask : visible.values()) {
            closeAll(ofTask);
        }
        visible.clear();
        closeAll(trainable);
        trainableTask = -1;
    }

    @Override
    public void close() {
        clear();
    }

    private static Optional<NDArray> device(float[] mask, long[] shape, DataType type, NDManager manager) {
        if (mask == null) {
            return Optional.empty();
        }
        NDArray m = manager.create(mask, new Shape(shape));
        if (type != DataType.FLOAT32) {
            NDArray typed = m.toType(type, false);
            m.close();
            m = typed;
        }
        return Optional.of(m);
    }

    private static void closeAll(Map<String, Optional<NDArray>> masks) {
        masks.values().forEach(m -> m.ifPresent(NDArray::close));
        masks.clear();
    }
}
