package io.graft.plugin.er;

import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.plugin.support.HostArrays;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A replay memory that keeps an equal share of its capacity for every class seen so far and, within a class,
 * a uniform sample of that class's stream (class-balanced reservoir sampling).
 *
 * <p>While the memory is not full every sample is kept. Once it is full, a sample of class {@code c} that
 * holds {@code m_c} slots is handled as follows, where {@code max} is the largest number of slots any class
 * holds:
 * <ul>
 *   <li>{@code m_c < max - 1}: the class is short of its share, so it takes a slot from a largest class (one
 *       of them at random), evicting a random sample of that class;</li>
 *   <li>otherwise, reservoir sampling within the class (algorithm R over the class's own stream): with
 *       {@code n_c} samples of the class seen so far, the sample replaces slot {@code j} of the class when a
 *       uniform {@code j} in {@code [0, n_c)} falls below {@code m_c}, and is dropped otherwise.</li>
 * </ul>
 * So once every class has seen more samples than its share, the shares differ by at most one, and each of the
 * {@code n_c} samples of a class seen so far is held with the same probability {@code m_c / n_c}: evictions
 * take a uniform member, which keeps the held set a uniform subset, and once a class has dropped a sample
 * it stays within one of the largest class, so it never again keeps samples unconditionally.
 *
 * <p>Deciding needs only the incoming labels; the features are read only for samples that are kept.
 */
final class ClassBalancedBuffer extends ReplayBuffer {

    /** Index of a class (order of first appearance) by its label. */
    private final Map<Long, Integer> classIndex = new HashMap<>();
    private long[] classLabel = new long[0];
    private long[] classSeen = new long[0];
    private int[] held = new int[0];
    /** The slots each class holds, {@code [0, held[c])} used; order matters for which one is evicted. */
    private int[][] classSlots = new int[0][];
    private int classes;
    /** The class that owns each filled slot and the slot's position in that class's list. */
    private final int[] slotClass;
    private final int[] slotPos;

    /**
     * @param capacity how many samples the memory holds
     */
    ClassBalancedBuffer(int capacity) {
        super(capacity);
        slotClass = new int[capacity];
        slotPos = new int[capacity];
    }

    @Override
    boolean needsLabels() {
        return true;
    }

    @Override
    int[] offer(int n, long[] labels, Random random) {
        if (labels == null || labels.length < n) {
            throw new IllegalArgumentException("class-balanced selection needs the label of every sample");
        }
        return admit(labels, random);
    }

    /**
     * Offers new samples of the stream and decides where each one goes.
     *
     * @param labels the labels of the new samples, in stream order
     * @param random the random source
     * @return for each sample the slot it overwrites, or {@code -1} when it is not kept; when two samples of
     *     the same offer get the same slot, the later one must win (store them in order)
     */
    int[] admit(long[] labels, Random random) {
        int[] slots = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int c = classOf(labels[i]);
            classSeen[c]++;
            int free = countAndTakeFreeSlot();
            if (free >= 0) {
                assign(free, c);
                slots[i] = free;
                continue;
            }
            int max = 0;
            int ties = 0;
            for (int d = 0; d < classes; d++) {
                if (held[d] > max) {
                    max = held[d];
                    ties = 1;
                } else if (held[d] == max) {
                    ties++;
                }
            }
            if (held[c] < max - 1) {
                int victim = largest(max, ties == 1 ? 0 : random.nextInt(ties));
                int slot = classSlots[victim][random.nextInt(held[victim])];
                release(slot);
                assign(slot, c);
                slots[i] = slot;
            } else {
                long j = random.nextLong(classSeen[c]);
                slots[i] = j < held[c] ? classSlots[c][(int) j] : -1;
            }
        }
        return slots;
    }

    /** @return the {@code k}-th class (in index order) holding {@code max} slots */
    private int largest(int max, int k) {
        for (int d = 0; d < classes; d++) {
            if (held[d] == max && k-- == 0) {
                return d;
            }
        }
        throw new IllegalStateException("no class holds " + max + " slots");
    }

    private int classOf(long label) {
        Integer known = classIndex.get(label);
        if (known != null) {
            return known;
        }
        int c = classes++;
        if (c == classLabel.length) {
            int grown = Math.max(4, 2 * c);
            classLabel = Arrays.copyOf(classLabel, grown);
            classSeen = Arrays.copyOf(classSeen, grown);
            held = Arrays.copyOf(held, grown);
            classSlots = Arrays.copyOf(classSlots, grown);
        }
        classLabel[c] = label;
        classSeen[c] = 0;
        held[c] = 0;
        classSlots[c] = new int[4];
        classIndex.put(label, c);
        return c;
    }

    private void assign(int slot, int c) {
        if (held[c] == classSlots[c].length) {
            classSlots[c] = Arrays.copyOf(classSlots[c], Math.min(capacity(), 2 * held[c]));
        }
        slotClass[slot] = c;
        slotPos[slot] = held[c];
        classSlots[c][held[c]++] = slot;
    }

    private void release(int slot) {
        int c = slotClass[slot];
        int pos = slotPos[slot];
        int last = classSlots[c][--held[c]];
        classSlots[c][pos] = last;
        slotPos[last] = pos;
    }

    /** @return the labels of the classes seen so far, in order of first appearance */
    long[] classLabels() {
        return Arrays.copyOf(classLabel, classes);
    }

    /** @return how many samples of each class (same order as {@link #classLabels()}) have been offered */
    long[] classSeen() {
        return Arrays.copyOf(classSeen, classes);
    }

    /** @return how many slots each class (same order as {@link #classLabels()}) holds */
    int[] classHeld() {
        return Arrays.copyOf(held, classes);
    }

    /** @return the slots of every class, class after class in the order of {@link #classLabels()} */
    int[] classSlotOrder() {
        int[] out = new int[filled()];
        int k = 0;
        for (int c = 0; c < classes; c++) {
            System.arraycopy(classSlots[c], 0, out, k, held[c]);
            k += held[c];
        }
        return out;
    }

    /**
     * Rebuilds the classes from the restored samples, slot by slot. Without saved per-class counts each
     * class is taken to have been seen in proportion to the slots it holds.
     */
    @Override
    void afterRestore() {
        classIndex.clear();
        classes = 0;
        int filled = filled();
        for (int slot = 0; slot < filled; slot++) {
            assign(slot, classOf(label(slot)));
        }
        for (int c = 0; c < classes; c++) {
            classSeen[c] = Math.max(held[c], Math.round((double) seen() * held[c] / filled));
        }
    }

    /**
     * Restores the saved per-class state on top of the restored samples, so that the memory continues exactly
     * as the saved one would. Ignored, keeping the state rebuilt from the samples, when it does not describe
     * them (e.g. when the memory kept fewer samples than were saved).
     *
     * @param savedLabels the class labels, in the saved class order
     * @param savedSeen how many samples of each class had been offered
     * @param savedHeld how many slots each class held
     * @param savedSlots the slots of every class, class after class
     * @return whether the saved state was taken
     */
    boolean restoreClasses(long[] savedLabels, long[] savedSeen, long[] savedHeld, long[] savedSlots) {
        int k = savedLabels.length;
        int filled = filled();
        if (savedSeen.length != k || savedHeld.length != k || savedSlots.length != filled
                || Arrays.stream(savedHeld).sum() != filled) {
            return false;
        }
        boolean[] used = new boolean[filled];
        int at = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < savedHeld[c]; i++, at++) {
                long slot = savedSlots[at];
                if (slot < 0 || slot >= filled || used[(int) slot] || label((int) slot) != savedLabels[c]) {
                    return false;
                }
                used[(int) slot] = true;
            }
        }
        if (Arrays.stream(savedLabels).distinct().count() != k) {
            return false;
        }
        classIndex.clear();
        classes = 0;
        at = 0;
        for (int c = 0; c < k; c++) {
            classOf(savedLabels[c]);
            classSeen[c] = Math.max(savedSeen[c], savedHeld[c]);
            for (int i = 0; i < savedHeld[c]; i++) {
                assign((int) savedSlots[at++], c);
            }
        }
        return true;
    }

    /** Writes the per-class state ({@code classLabels}, {@code classSeen}, {@code classHeld}, {@code classSlots}). */
    @Override
    protected void saveExtra(StateWriter out, NDManager host) {
        if (classes > 0) {
            out.putArray("classLabels", host.create(classLabels()));
            out.putArray("classSeen", host.create(classSeen()));
            out.putArray("classHeld", host.create(asLongs(classHeld())));
            out.putArray("classSlots", host.create(asLongs(classSlotOrder())));
        }
    }

    /** Takes the saved per-class state when there is one ({@link #restoreClasses}). */
    @Override
    protected void restoreExtra(StateReader in, NDManager host, int savedRows) {
        if (in.keys().contains("classLabels")) {
            restoreClasses(HostArrays.longs(in.getArray("classLabels", host)),
                    HostArrays.longs(in.getArray("classSeen", host)), HostArrays.longs(in.getArray("classHeld", host)),
                    HostArrays.longs(in.getArray("classSlots", host)));
        }
    }

    private static long[] asLongs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }
}
