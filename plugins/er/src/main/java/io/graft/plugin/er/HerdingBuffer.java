package io.graft.plugin.er;

import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.plugin.support.HostArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The exemplar memory of iCaRL (Rebuffi et al., 2017): filled only at task ends, with each class's exemplars in
 * herding order, and split evenly across the classes seen so far.
 *
 * <p>A class here is a group: a label within one task, so that a label that comes back in a later task (the
 * permuted and rotated scenarios) gets exemplars of each task it occurs in. With {@code G} groups, group
 * {@code g} (oldest first) may hold {@code capacity / G} exemplars, plus one for the first {@code capacity % G}
 * groups. When a task adds groups the older ones shrink to their new share by dropping their last-chosen
 * exemplars, which herding order makes the least important; a group with fewer samples than its share holds
 * what it has.
 *
 * <p>Incoming samples are never kept ({@link #offer} declines them all): during a task the memory holds only
 * earlier tasks' exemplars. Slots are laid out group after group, each group's exemplars in herding order,
 * so the saved samples alone describe the groups; the group list is saved beside them so that groups left
 * with no slot keep their place in the split.
 */
final class HerdingBuffer extends ReplayBuffer {

    /**
     * A new group's chosen samples.
     *
     * @param label the class label
     * @param inputs the exemplars' features, in herding order, one row each
     */
    record Exemplars(long label, float[] inputs) {}

    private long[] groupTask = new long[0];
    private long[] groupLabel = new long[0];
    private int[] groupHeld = new int[0];

    /**
     * @param capacity how many samples the memory holds
     */
    HerdingBuffer(int capacity) {
        super(capacity);
    }

    @Override
    int[] offer(int n, long[] labels, Random random) {
        int[] slots = new int[n];
        Arrays.fill(slots, -1);
        return slots;
    }

    @Override
    boolean needsLabels() {
        return false;
    }

    /** @return how many groups share the memory */
    int groups() {
        return groupHeld.length;
    }

    /**
     * @param groups how many groups share the memory
     * @param index a group's position among them, oldest first
     * @return how many exemplars that group may hold
     */
    int share(int groups, int index) {
        return capacity() / groups + (index < capacity() % groups ? 1 : 0);
    }

    /**
     * @param added how many groups a task is about to add
     * @return the share of each of them once added, in order
     */
    int[] sharesOfNew(int added) {
        int total = groups() + added;
        int[] shares = new int[added];
        for (int i = 0; i < added; i++) {
            shares[i] = share(total, groups() + i);
        }
        return shares;
    }

    /**
     * Adds a finished task's groups and shrinks the older ones to their new shares.
     *
     * @param task the task's index
     * @param shape the shape of one sample
     * @param added the new groups, each with its exemplars in herding order (cut to its share if longer)
     * @param samples how many training samples the task had (counted as seen)
     * @throws IllegalStateException if the sample shape differs from that of the samples held
     */
    void addTask(long task, long[] shape, List<Exemplars> added, long samples) {
        requireSampleShape(shape);
        int length = rowLength();
        int total = groups() + added.size();
        int[] held = new int[total];
        int[] keep = new int[total];
        int rows = 0;
        for (int g = 0; g < total; g++) {
            int available = g < groups() ? groupHeld[g] : added.get(g - groups()).inputs().length / length;
            keep[g] = Math.min(available, share(total, g));
            rows += keep[g];
        }
        float[] features = new float[rows * length];
        long[] labels = new long[rows];
        long[] tasks = new long[rows];
        long[] newTask = Arrays.copyOf(groupTask, total);
        long[] newLabel = Arrays.copyOf(groupLabel, total);
        int at = 0;
        int start = 0;
        for (int g = 0; g < total; g++) {
            if (g < groups()) {
                // the group's slots are contiguous and in herding order: its first keep[g] are the ones to keep
                int first = start;
                int[] slots = new int[keep[g]];
                Arrays.setAll(slots, i -> first + i);
                float[] kept = new float[keep[g] * length];
                copyFeatures(slots, kept);
                System.arraycopy(kept, 0, features, at * length, kept.length);
                start += groupHeld[g];
            } else {
                Exemplars e = added.get(g - groups());
                System.arraycopy(e.inputs(), 0, features, at * length, keep[g] * length);
                newTask[g] = task;
                newLabel[g] = e.label();
            }
            Arrays.fill(labels, at, at + keep[g], newLabel[g]);
            Arrays.fill(tasks, at, at + keep[g], newTask[g]);
            held[g] = keep[g];
            at += keep[g];
        }
        restore(shape, features, labels, tasks, seen() + samples);
        groupTask = newTask;
        groupLabel = newLabel;
        groupHeld = held;
    }

    /**
     * @param g a group, oldest first
     * @return its task, label and how many exemplars it holds
     */
    long[] group(int g) {
        return new long[] {groupTask[g], groupLabel[g], groupHeld[g]};
    }

    /**
     * Rebuilds the groups from the restored samples: one per (task, label), in order of first appearance, with
     * the samples regrouped slot after slot if they were not contiguous (as after a restore of another
     * selection's memory). Groups that held no slot are unknown here; {@link #restoreExtra} brings them back.
     */
    @Override
    void afterRestore() {
        int filled = filled();
        Map<List<Long>, List<Integer>> slotsByGroup = new LinkedHashMap<>();
        for (int slot = 0; slot < filled; slot++) {
            slotsByGroup.computeIfAbsent(List.of(task(slot), label(slot)), key -> new ArrayList<>()).add(slot);
        }
        int[] order = slotsByGroup.values().stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
        boolean contiguous = true;
        for (int i = 0; i < filled; i++) {
            contiguous &= order[i] == i;
        }
        if (!contiguous) {
            float[] features = new float[filled * rowLength()];
            copyFeatures(order, features);
            long[] labels = Arrays.stream(order).mapToLong(this::label).toArray();
            long[] tasks = Arrays.stream(order).mapToLong(this::task).toArray();
            restore(sampleShape(), features, labels, tasks, seen());
            return;
        }
        int groups = slotsByGroup.size();
        groupTask = new long[groups];
        groupLabel = new long[groups];
        groupHeld = new int[groups];
        int g = 0;
        for (Map.Entry<List<Long>, List<Integer>> e : slotsByGroup.entrySet()) {
            groupTask[g] = e.getKey().get(0);
            groupLabel[g] = e.getKey().get(1);
            groupHeld[g] = e.getValue().size();
            g++;
        }
    }

    /** Writes the groups ({@code groupTasks}, {@code groupLabels}, {@code groupHeld}), oldest first. */
    @Override
    protected void saveExtra(StateWriter out, NDManager host) {
        if (groups() > 0) {
            out.putArray("groupTasks", host.create(groupTask));
            out.putArray("groupLabels", host.create(groupLabel));
            out.putArray("groupHeld", host.create(Arrays.stream(groupHeld).asLongStream().toArray()));
        }
    }

    /**
     * Takes the saved group list when it describes the restored samples (its groups that hold slots are, in
     * order and size, those rebuilt from the samples); otherwise keeps the groups rebuilt from the samples.
     */
    @Override
    protected void restoreExtra(StateReader in, NDManager host, int savedRows) {
        if (!in.keys().contains("groupTasks")) {
            return;
        }
        long[] tasks = HostArrays.longs(in.getArray("groupTasks", host));
        long[] labels = HostArrays.longs(in.getArray("groupLabels", host));
        long[] held = HostArrays.longs(in.getArray("groupHeld", host));
        if (labels.length != tasks.length || held.length != tasks.length) {
            return;
        }
        int rebuilt = 0;
        for (int g = 0; g < tasks.length; g++) {
            if (held[g] == 0) {
                continue;
            }
            if (rebuilt == groups() || tasks[g] != groupTask[rebuilt] || labels[g] != groupLabel[rebuilt]
                    || held[g] != groupHeld[rebuilt]) {
                return;
            }
            rebuilt++;
        }
        if (rebuilt != groups()) {
            return;
        }
        groupTask = tasks;
        groupLabel = labels;
        groupHeld = Arrays.stream(held).mapToInt(Math::toIntExact).toArray();
    }
}
