package io.graft.plugin.packnet;

import io.graft.api.model.TaskInfo;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks before training that every task of the scenario will find room: it packs the tasks still to come on a
 * copy of the ownership (how many entries each keeps does not depend on their values) and refuses the run if a
 * task would find no free weight in some layer, or keep none of those it found.
 */
final class CapacityPlan {

    private CapacityPlan() {}

    /**
     * @param ownership the ownership now (nothing is changed)
     * @param tasks every task of the scenario, in training order
     * @param firstToCome the first task not yet packed
     * @param settings the plugin's settings
     * @throws IllegalStateException naming the task, the layer and the fixes, when the network runs out
     */
    static void check(Ownership ownership, List<TaskInfo> tasks, int firstToCome, PackNetSettings settings) {
        Ownership plan = ownership.copy();
        for (int t = firstToCome; t < tasks.size(); t++) {
            TaskInfo task = tasks.get(t);
            Set<Integer> later = laterClasses(tasks, t);
            Map<String, Long> freeBefore = new LinkedHashMap<>();
            for (String name : plan.names()) {
                freeBefore.put(name, plan.count(name, Ownership.FREE));
            }
            double ratio = ratio(settings, t, tasks.size());
            Ownership.Packing packing = plan.pack(t, Map.of(), task.classes(), later, ratio);
            for (String name : plan.names()) {
                if (!plan.role(name).weights()) {
                    continue;
                }
                long claimed = packing.claimed().get(name);
                if (claimed > 0) {
                    continue;
                }
                String what = plan.role(name) == Ownership.Role.HEAD_WEIGHT
                        ? "no free weight in its rows of " + name
                        : freeBefore.get(name) == 0 ? "no free weight in " + name
                        : "only " + freeBefore.get(name) + " free weights in " + name + " and would keep none of them";
                throw new IllegalStateException("packnet: the network runs out of free weights: task " + t + " ("
                        + task.name() + ", the " + ordinal(t + 1) + " of " + tasks.size() + ") would find " + what
                        + " (each pruned task keeps 1 - pruneRatio = " + percent(1 - settings.pruneRatio())
                        + " of the weights it finds free, per layer); raise "
                        + "pruneRatio to leave more to later tasks, widen the network or train fewer tasks");
            }
        }
    }

    /**
     * @param settings the plugin's settings
     * @param task a task's index
     * @param taskCount the number of tasks of the scenario
     * @return the share of its free weights the task releases: {@code pruneRatio}, or 0 for the last task unless
     *     {@code pruneLastTask}
     */
    static double ratio(PackNetSettings settings, int task, int taskCount) {
        boolean last = task == taskCount - 1;
        return last && !settings.pruneLastTask() ? 0 : settings.pruneRatio();
    }

    /**
     * @param tasks every task of the scenario
     * @param task a task's index
     * @return the classes of the tasks after it
     */
    static Set<Integer> laterClasses(List<TaskInfo> tasks, int task) {
        Set<Integer> later = new HashSet<>();
        for (int t = task + 1; t < tasks.size(); t++) {
            for (int c : tasks.get(t).classes()) {
                later.add(c);
            }
        }
        return later;
    }

    private static String ordinal(int n) {
        int tens = n % 100;
        String suffix = tens >= 11 && tens <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + "%";
    }
}
