package io.graft.api.model;

import java.util.Arrays;
import java.util.Objects;

/** One task of a scenario: its position, a readable name and the classes it contains. */
public final class TaskInfo {

    private final int index;
    private final String name;
    private final int[] classes;

    /**
     * @param index position in the scenario, from 0
     * @param name readable name, e.g. {@code "classes 0,1"} or {@code "permutation 3"}
     * @param classes the class labels that occur in the task
     */
    public TaskInfo(int index, String name, int[] classes) {
        if (index < 0) {
            throw new IllegalArgumentException("task index must be >= 0: " + index);
        }
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
        this.classes = classes.clone();
    }

    /** @return position in the scenario, from 0 */
    public int index() {
        return index;
    }

    /** @return readable name */
    public String name() {
        return name;
    }

    /** @return the class labels of this task (a copy) */
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public String toString() {
        return "task " + index + " (" + name + ", classes " + Arrays.toString(classes) + ")";
    }
}
