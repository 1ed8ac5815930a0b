package io.graft.plugin.pnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.growth.GrowthPolicy;
import io.graft.api.growth.StructureEditor;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import java.util.List;

/**
 * Progressive neural networks grown column by column: the host as configured is the first task's column; at each
 * task boundary (the run's {@code task-boundary} trigger) this policy appends a fresh column of the same widths to
 * every hidden layer through {@link StructureEditor#addUnits}, which preserves the function (the new units'
 * outgoing weights start at zero). The masks and the freeze are those of {@link ProgressiveColumns}, recomputed
 * for the columns grown so far: column {@code k} reads columns {@code j <= k} below it (lateral connections), the
 * head of task {@code t} reads column {@code t}, and every earlier column and head is frozen. Unlike the
 * preallocated {@code pnn}, a task pays only for the columns that exist when it trains.
 *
 * <p>Metrics at each growth: {@code columns}, {@code parameters} (the host's, masked entries included) and
 * {@code column_parameters_<k>} (what column {@code k} uses).
 */
final class GrowingColumns implements GrowthPolicy, TaskMask, GradientTransform, Stateful {

    private int inputs;
    private int outputs;
    private int[] widths;
    private List<TaskInfo> tasks;
    private int columns;
    private NDManager manager;
    private MetricSink metrics;
    private ColumnLayout layout;
    private ColumnMasks masks;
    private ColumnFreeze freeze;

    @Override
    public void onRunStart(RunContext run) {
        close();
        ColumnLayout base = ColumnLayout.of(run.model(), 1, Connectivity.PROGRESSIVE, run.tasks().subList(0, 1));
        inputs = base.inputs();
        outputs = base.outputs();
        widths = new int[base.depth()];
        for (int l = 0; l < widths.length; l++) {
            widths[l] = base.columnWidth(l);
        }
        tasks = List.copyOf(run.tasks());
        manager = run.manager();
        metrics = run.metrics();
        columns = 1;
        lay();
    }

    @Override
    public void check(RunContext run, StructureEditor editor) {
        for (int l = 0; l < editor.layers().size() - 1; l++) {
            if (!editor.layers().get(l).startsWith("fc")) {
                throw new IllegalArgumentException("grown columns need the mlp host (dense layers fc1, fc2, ...), found "
                        + editor.layers().get(l));
            }
        }
    }

    @Override
    public void grow(TaskContext task, StructureEditor editor) {
        int next = task.task().index() + 1;
        if (next >= tasks.size() || columns > next) {
            return;
        }
        List<String> layers = editor.layers();
        for (int l = 0; l < widths.length; l++) {
            editor.addUnits(layers.get(l), widths[l]);
        }
        columns++;
        lay();
        metrics.record("columns", columns);
        metrics.record("parameters", editor.parameterCount());
    }

    private void lay() {
        int[] hidden = new int[widths.length];
        for (int l = 0; l < hidden.length; l++) {
            hidden[l] = widths[l] * columns;
        }
        int[][] classes = new int[columns][];
        for (int t = 0; t < columns; t++) {
            classes[t] = tasks.get(t).classes();
        }
        closeMasks();
        layout = new ColumnLayout(inputs, hidden, outputs, columns, Connectivity.PROGRESSIVE, classes);
        masks = new ColumnMasks(layout, manager);
        freeze = new ColumnFreeze(layout, manager);
        for (int k = 0; k < columns; k++) {
            metrics.record("column_parameters_" + k, layout.parametersOf(k));
        }
    }

    @Override
    public NDArray weightMask(Parameter parameter, MaskQuery query) {
        int t = query.task().index();
        // a task without a column yet (the untrained evaluation of later tasks) sees the network as it is
        return masks == null || t >= columns ? null : masks.forParameter(parameter.name(), t);
    }

    @Override
    public void transform(StepContext step) {
        freeze.apply(step.model(), step.task().index());
    }

    /** @return the columns grown so far, the first task's included */
    int columns() {
        return columns;
    }

    /** @return the layout of the columns so far */
    ColumnLayout layout() {
        return layout;
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("columns", columns);
    }

    @Override
    public void restoreState(StateReader in) {
        int saved = (int) in.getLong("columns");
        if (saved != columns && layout != null) {
            throw new IllegalStateException("the saved run had " + saved + " columns, this one " + columns
                    + "; resume from the same task boundary");
        }
    }

    private void closeMasks() {
        if (masks != null) {
            masks.close();
            masks = null;
        }
        if (freeze != null) {
            freeze.close();
            freeze = null;
        }
    }

    @Override
    public void close() {
        closeMasks();
    }
}
