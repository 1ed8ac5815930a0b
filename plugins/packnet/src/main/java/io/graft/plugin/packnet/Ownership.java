package io.graft.plugin.packnet;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which task owns each entry of every parameter: the host-side record PackNet's masks are derived from. An
 * entry is {@link #FREE} until a task claims it when it is packed; it then belongs to that task for good.
 *
 * <p>How a task claims depends on the parameter's {@link Role}:
 * <ul>
 *   <li>a hidden layer's weights: the task keeps the largest-magnitude {@code 1 − ratio} of the entries it
 *       found free (the whole layer is one group) and releases the rest;</li>
 *   <li>a hidden layer's biases: the first task claims them all, unpruned, so later tasks never move them
 *       (as in the paper);</li>
 *   <li>the head {@code out}: with one head per task only the rows of the task's own classes learn, so the
 *       task claims the free entries of those rows and nothing else. A row no later task uses is the task's
 *       own classifier and is kept whole (the paper does not prune classifiers); a row a later task shares is
 *       pruned like a hidden layer, row by row;</li>
 *   <li>the head's biases: the entries of the task's classes, while free, unpruned.</li>
 * </ul>
 */
final class Ownership {

    /** The owner of an entry no task has claimed. */
    static final short FREE = -1;

    /** The name prefix of the head's parameters ({@code out.weight}, {@code out.bias}) in the host. */
    static final String HEAD_PREFIX = "out.";

    /** The part a parameter plays, which decides how a task claims its entries. */
    enum Role {
        /** A hidden layer's weight matrix. */
        WEIGHT,
        /** A hidden layer's bias. */
        BIAS,
        /** The head's weight matrix, one row per class. */
        HEAD_WEIGHT,
        /** The head's bias, one entry per class. */
        HEAD_BIAS;

        static Role of(String name, long[] shape) {
            boolean head = name.startsWith(HEAD_PREFIX);
            boolean matrix = shape.length >= 2;
            if (head) {
                return matrix ? HEAD_WEIGHT : HEAD_BIAS;
            }
            return matrix ? WEIGHT : BIAS;
        }

        /** @return whether the role holds weights (what the capacity is counted in) rather than biases */
        boolean weights() {
            return this == WEIGHT || this == HEAD_WEIGHT;
        }
    }

    /**
     * What one task claimed when packed.
     *
     * @param task the task
     * @param claimed parameter name to the number of entries the task now owns there
     * @param released parameter name to the indices (flattened) it found free and let go; their values must be
     *     zeroed, they stay free for later tasks
     */
    record Packing(int task, Map<String, Long> claimed, Map<String, int[]> released) {}

    private final Map<String, Layer> layers = new LinkedHashMap<>();

    /**
     * Starts with every entry free.
     *
     * @param shapes parameter name to shape, in the model's parameter order
     */
    Ownership(Map<String, long[]> shapes) {
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] shape = e.getValue();
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            short[] owner = new short[Math.toIntExact(size)];
            Arrays.fill(owner, FREE);
            layers.put(e.getKey(), new Layer(Role.of(e.getKey(), shape), shape.clone(), owner));
        }
    }

    private Ownership(Ownership source) {
        for (Map.Entry<String, Layer> e : source.layers.entrySet()) {
            Layer l = e.getValue();
            layers.put(e.getKey(), new Layer(l.role, l.shape, l.owner.clone()));
        }
    }

    /** @return an independent copy (to plan the packing of the tasks to come) */
    Ownership copy() {
        return new Ownership(this);
    }

    /** @return the parameter names, in the model's order */
    Set<String> names() {
        return Collections.unmodifiableSet(layers.keySet());
    }

    /**
     * @param name a parameter name
     * @return its role
     */
    Role role(String name) {
        return layer(name).role;
    }

    /**
     * @param name a parameter name
     * @return its shape
     */
    long[] shape(String name) {
        return layer(name).shape.clone();
    }

    /**
     * @param name a parameter name
     * @return the owner of each entry (flattened, row-major), {@link #FREE} where none; a copy
     */
    short[] owners(String name) {
        return layer(name).owner.clone();
    }

    /**
     * Replaces the owners of one parameter (a restored state).
     *
     * @param name a parameter name
     * @param owners the owner of each entry, as {@link #owners} gives them
     */
    void restore(String name, short[] owners) {
        Layer l = layer(name);
        if (owners.length != l.owner.length) {
            throw new IllegalArgumentException("the saved ownership of " + name + " has " + owners.length
                    + " entries, the parameter " + l.owner.length);
        }
        System.arraycopy(owners, 0, l.owner, 0, owners.length);
    }

    /**
     * Lets a task claim its share of the free entries (see the class comment); the caller zeroes the values
     * of the released entries.
     *
     * @param task the task being packed
     * @param values parameter name to its current values (flattened), ranked by magnitude; a missing name ranks
     *     its entries equal (lower index first)
     * @param classes the task's classes (rows of the head)
     * @param laterClasses the classes of the tasks after this one
     * @param ratio the share of the free entries of a pruned group that is released; 0 keeps them all
     * @return what the task claimed and released
     */
    Packing pack(int task, Map<String, float[]> values, int[] classes, Set<Integer> laterClasses, double ratio) {
        if (task < 0 || task > Short.MAX_VALUE) {
            throw new IllegalArgumentException("task index out of range: " + task);
        }
        Map<String, Long> claimed = new LinkedHashMap<>();
        Map<String, int[]> released = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : layers.entrySet()) {
            Layer l = e.getValue();
            float[] v = values.get(e.getKey());
            Indices dropped = new Indices();
            long kept = 0;
            switch (l.role) {
                case WEIGHT -> kept = claim(l, 0, l.owner.length, v, task, ratio, dropped);
                case BIAS -> kept = claim(l, 0, l.owner.length, v, task, 0, dropped);
                case HEAD_WEIGHT, HEAD_BIAS -> {
                    int rowLength = l.owner.length / l.rows();
                    for (int c : classes) {
                        if (c < 0 || c >= l.rows()) {
                            throw new IllegalArgumentException("class " + c + " of task " + task + " has no row in "
                                    + e.getKey() + " (" + l.rows() + " rows)");
                        }
                        double rowRatio = l.role == Role.HEAD_WEIGHT && laterClasses.contains(c) ? ratio : 0;
                        kept += claim(l, c * rowLength, (c + 1) * rowLength, v, task, rowRatio, dropped);
                    }
                }
                default -> throw new IllegalStateException(l.role.name());
            }
            claimed.put(e.getKey(), kept);
            if (dropped.size > 0) {
                released.put(e.getKey(), dropped.toArray());
            }
        }
        return new Packing(task, claimed, released);
    }

    /** Claims the largest-magnitude share of the free entries in {@code [from, to)}; adds the others to dropped. */
    private static long claim(Layer l, int from, int to, float[] values, int task, double ratio,
                              Indices dropped) {
        int free = 0;
        for (int i = from; i < to; i++) {
            if (l.owner[i] == FREE) {
                free++;
            }
        }
        if (free == 0) {
            return 0;
        }
        int[] candidates = new int[free];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (l.owner[i] == FREE) {
                candidates[n++] = i;
            }
        }
        // released = round(ratio · free): ratio 0.9 of 10 keeps exactly 1, where floor((1 − 0.9)·10) gives 0
        int keep = free - (int) Math.round(ratio * free);
        int[] kept = Magnitudes.largest(values, candidates, keep);
        int k = 0;
        for (int i : candidates) {
            if (k < kept.length && kept[k] == i) {
                l.owner[i] = (short) task;
                k++;
            } else {
                dropped.add(i);
            }
        }
        return kept.length;
    }

    /**
     * The forward-pass mask of a packed task: the entries tasks {@code 0..task} own.
     *
     * @param name a parameter name
     * @param task a task that has been packed
     * @return 1 where visible, 0 elsewhere (flattened); {@code null} when every entry is visible
     */
    float[] visible(String name, int task) {
        short[] owner = layer(name).owner;
        float[] mask = new float[owner.length];
        boolean all = true;
        for (int i = 0; i < owner.length; i++) {
            boolean seen = owner[i] != FREE && owner[i] <= task;
            mask[i] = seen ? 1f : 0f;
            all &= seen;
        }
        return all ? null : mask;
    }

    /**
     * The gradient mask of a task in training: the free entries until it is packed, its own entries after.
     *
     * @param name a parameter name
     * @param task the task in training
     * @param packed whether it has been packed
     * @return 1 where the task may change the entry, 0 elsewhere (flattened); {@code null} when everywhere
     */
    float[] trainable(String name, int task, boolean packed) {
        short[] owner = layer(name).owner;
        short wanted = packed ? (short) task : FREE;
        float[] mask = new float[owner.length];
        boolean all = true;
        for (int i = 0; i < owner.length; i++) {
            boolean open = owner[i] == wanted;
            mask[i] = open ? 1f : 0f;
            all &= open;
        }
        return all ? null : mask;
    }

    /**
     * @param name a parameter name
     * @param task a task, or {@link #FREE}
     * @return how many entries that task owns (or how many are free)
     */
    long count(String name, int task) {
        long n = 0;
        for (short o : layer(name).owner) {
            if (o == task) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param name a parameter name
     * @return its number of entries
     */
    long size(String name) {
        return layer(name).owner.length;
    }

    private Layer layer(String name) {
        Layer l = layers.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in the ownership; it has "
                    + layers.keySet());
        }
        return l;
    }

    /** A growing list of indices, without boxing (a layer releases up to hundreds of thousands). */
    private static final class Indices {
        private int[] data = new int[64];
        private int size;

        void add(int index) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = index;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    private record Layer(Role role, long[] shape, short[] owner) {
        int rows() {
            return Math.toIntExact(shape[0]);
        }
    }
}
