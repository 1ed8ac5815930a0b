package io.graft.plugin.pnn;

import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How the host's hidden layers {@code fc1, fc2, ...} are cut into {@code K} equal columns, which task each
 * column serves (task {@code t} owns column {@code t}) and which classes its head covers. Checks that the
 * host can be cut that way and says how to fix the config when it cannot.
 */
final class ColumnLayout {

    private final int inputs;
    private final int[] hidden;
    private final int outputs;
    private final int columns;
    private final Connectivity connectivity;
    private final int[][] taskClasses;

    /**
     * @param inputs values per input sample
     * @param hidden the hidden widths, input to output
     * @param outputs logits of the shared output layer
     * @param columns K, the number of columns
     * @param connectivity lateral connections or none
     * @param taskClasses the classes of each task, in training order
     * @throws IllegalArgumentException when the widths, the number of columns or the tasks do not fit
     */
    ColumnLayout(int inputs, int[] hidden, int outputs, int columns, Connectivity connectivity, int[][] taskClasses) {
        this.inputs = inputs;
        this.hidden = hidden.clone();
        this.outputs = outputs;
        this.columns = columns;
        this.connectivity = connectivity;
        this.taskClasses = new int[taskClasses.length][];
        for (int t = 0; t < taskClasses.length; t++) {
            this.taskClasses[t] = taskClasses[t].clone();
        }
        check();
    }

    /**
     * Reads the hidden widths from the host's parameters ({@code fc1.weight (out, in)}, ...).
     *
     * @param model the host
     * @param requested the {@code columns} setting, 0 for one per task
     * @param connectivity lateral connections or none
     * @param tasks the run's tasks, in training order
     * @return the layout
     * @throws IllegalArgumentException when the host cannot be cut into the columns
     */
    static ColumnLayout of(ModelView model, int requested, Connectivity connectivity, List<TaskInfo> tasks) {
        Set<String> names = model.parameters().stream().map(Parameter::name).collect(Collectors.toSet());
        List<Integer> widths = new ArrayList<>();
        int inputs = -1;
        for (int l = 1; names.contains("fc" + l + ".weight"); l++) {
            long[] shape = model.parameter("fc" + l + ".weight").array().getShape().getShape();
            widths.add(Math.toIntExact(shape[0]));
            if (l == 1) {
                inputs = Math.toIntExact(shape[1]);
            }
        }
        if (!names.contains("out.weight")) {
            throw new IllegalArgumentException("the host has no head 'out.weight'; columns need the MLP host "
                    + "(parameters fc1.weight, ..., out.weight)");
        }
        int outputs = Math.toIntExact(model.parameter("out.weight").array().getShape().get(0));
        int[][] classes = tasks.stream().map(TaskInfo::classes).toArray(int[][]::new);
        int columns = requested == 0 ? tasks.size() : requested;
        return new ColumnLayout(inputs, widths.stream().mapToInt(Integer::intValue).toArray(), outputs, columns,
                connectivity, classes);
    }

    private void check() {
        if (columns < 1) {
            throw new IllegalArgumentException("the run has no task, so there is no column to train");
        }
        if (hidden.length == 0) {
            throw new IllegalArgumentException("model.hidden is empty: columns live in the hidden layers, give at "
                    + "least one, e.g. model.hidden: [" + columns * 128 + ", " + columns * 128 + "] ("
                    + columns + " columns of 128)");
        }
        if (columns < taskClasses.length) {
            throw new IllegalArgumentException("columns is " + columns + " but the run has " + taskClasses.length
                    + " tasks and every task needs a column of its own; set columns: 0 (one per task) or >= "
                    + taskClasses.length);
        }
        if (Arrays.stream(hidden).anyMatch(w -> w % columns != 0)) {
            int[] fixed = Arrays.stream(hidden).map(w -> Math.max(1, (w + columns - 1) / columns) * columns).toArray();
            throw new IllegalArgumentException("model.hidden " + Arrays.toString(hidden) + " cannot be cut into "
                    + columns + " equal columns" + (columns == taskClasses.length ? " (one per task)" : "")
                    + ": every hidden width must be divisible by " + columns + ", e.g. model.hidden: "
                    + Arrays.toString(fixed) + " (columns of " + Arrays.stream(fixed).map(w -> w / columns)
                    .mapToObj(Integer::toString).collect(Collectors.joining(", ")) + " units)");
        }
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < taskClasses.length; t++) {
            for (int c : taskClasses[t]) {
                if (c < 0 || c >= outputs) {
                    throw new IllegalArgumentException("task " + t + " has class " + c + " outside the head's "
                            + outputs + " outputs");
                }
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("class " + c + " occurs in more than one task; a column "
                            + "per task needs tasks with disjoint classes (a split scenario with model.heads: multi)");
                }
            }
        }
    }

    /** @return K, the number of columns */
    int columns() {
        return columns;
    }

    /** @return the number of tasks the columns serve */
    int tasks() {
        return taskClasses.length;
    }

    /** @return the number of hidden layers */
    int depth() {
        return hidden.length;
    }

    /** @return values per input sample */
    int inputs() {
        return inputs;
    }

    /** @return logits of the shared output layer */
    int outputs() {
        return outputs;
    }

    /** @return lateral connections or none */
    Connectivity connectivity() {
        return connectivity;
    }

    /**
     * @param layer a hidden layer, 0 for {@code fc1}
     * @return its width
     */
    int width(int layer) {
        return hidden[layer];
    }

    /**
     * @param layer a hidden layer, 0 for {@code fc1}
     * @return the units of one column in it
     */
    int columnWidth(int layer) {
        return hidden[layer] / columns;
    }

    /**
     * @param layer a hidden layer, 0 for {@code fc1}
     * @param unit a unit of it
     * @return the column the unit belongs to
     */
    int columnOf(int layer, int unit) {
        return unit / columnWidth(layer);
    }

    /**
     * @param task a task index
     * @return the classes its head covers
     */
    int[] classes(int task) {
        return taskClasses[task].clone();
    }

    /**
     * @param task a task index
     * @return the column that task trains and is predicted by
     */
    int columnOfTask(int task) {
        return task;
    }

    /**
     * The weights and biases the masks leave in use for one column: its units' rows of every hidden layer
     * (input for {@code fc1}, the columns it reads below for the others) and its task's head rows.
     *
     * @param column a column
     * @return the number of scalar parameters it uses
     */
    long parametersOf(int column) {
        long n = 0;
        for (int l = 0; l < hidden.length; l++) {
            long fanIn = l == 0 ? inputs : (long) connectivity.sourcesOf(column) * columnWidth(l - 1);
            n += (long) columnWidth(l) * (fanIn + 1);
        }
        int task = IntStream.range(0, taskClasses.length).filter(t -> columnOfTask(t) == column).findFirst().orElse(-1);
        if (task >= 0) {
            n += (long) taskClasses[task].length * (columnWidth(hidden.length - 1) + 1);
        }
        return n;
    }

    /** @return a one-line description, e.g. {@code progressive 784-[5x128]-[5x128]-10} */
    String describe() {
        return connectivity.name().toLowerCase(java.util.Locale.ROOT) + " " + inputs + "-"
                + Arrays.stream(hidden).mapToObj(w -> "[" + columns + "x" + w / columns + "]")
                .collect(Collectors.joining("-")) + "-" + outputs;
    }
}
