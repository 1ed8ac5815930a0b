package io.graft.plugin.pnn;

import ai.djl.ndarray.NDArray;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.Parameter;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;

/**
 * Progressive neural networks (Rusu et al., 2016) on the fixed-shape MLP host, and, with
 * {@link Connectivity#INDEPENDENT}, the independent per-task models that bound them.
 *
 * <p><b>Columns as masked blocks.</b> The host of this version cannot add layers or units while it trains, so
 * the columns are <em>preallocated</em>: every hidden width is cut into {@code K} equal columns (one per task
 * unless {@code columns} says otherwise) and task {@code t} trains column {@code t}. Weight masks
 * ({@link TaskMask}) keep each {@code fc(l)} for {@code l >= 2} block lower-triangular, so column {@code k}'s
 * units read only columns {@code j <= k} of the layer below: {@code j = k} is the column's own weight matrix,
 * {@code j < k} are the lateral adapters {@code U^(k:j)}; every column reads the whole input at {@code fc1}.
 * The head {@code out} of task {@code t} reads column {@code t}'s units only and covers task {@code t}'s
 * classes only. The masked-out blocks are multiplied by 0, so the function for task {@code t} is exactly a
 * progressive network of {@code t + 1} columns with linear lateral adapters (Rusu et al. use a small MLP with
 * a learned scale per adapter), and later columns have no effect on it.
 *
 * <p><b>Frozen columns.</b> As a {@link GradientTransform} it zeroes, while task {@code t} trains, the
 * gradients feeding every unit of columns {@code < t} and of earlier tasks' head rows ({@link ColumnFreeze}).
 * With the kernel's plain SGD and momentum 0 (the default) this keeps earlier columns, and so earlier tasks'
 * task-IL predictions, bit-for-bit unchanged. With momentum the velocity an earlier task left behind would
 * still move its column during the next task: use momentum 0. At the end of every task after the first the
 * plugin measures the largest change of a frozen entry during the task ({@link FreezeAudit}), which must be 0.
 *
 * <p><b>Cost.</b> Because the columns are preallocated, every forward and backward pass costs the full
 * width of the host whatever the task, and the parameter count is that of the full host from the start
 * (the metrics report how many of them each column actually uses). Columns that grow at each task boundary
 * arrive with the {@code StructureEditor} operations of the growth work ({@code io.graft.api.growth}); this
 * plugin will then be able to add a column instead of unmasking a preallocated one.
 *
 * <p>The columns are laid out in {@code onRunStart}, which the kernel calls before the baseline evaluation,
 * so every forward pass of the run, the untrained one included, sees the columns.
 *
 * <p>Metrics: at run start {@code column_parameters_<k>} for every column (the scalar weights and biases its
 * masks leave in use, lateral adapters and its task's head included) and {@code masked_parameters} (the host's
 * parameters no column uses); at each task start {@code column}, {@code trainable_parameters} (the task's
 * column) and {@code frozen_parameters} (the columns before it); at each task end from the second on
 * {@code frozen_change}, the largest absolute change of a frozen weight or bias during the task (0 when the
 * freeze is exact).
 */
final class ProgressiveColumns implements TaskMask, GradientTransform, Stateful {

    private final ColumnSettings settings;
    private final Connectivity connectivity;
    private ColumnLayout layout;
    private ColumnMasks masks;
    private ColumnFreeze freeze;
    private FreezeAudit audit;
    private MetricSink metrics;
    private String restored;

    ProgressiveColumns(ColumnSettings settings, Connectivity connectivity) {
        this.settings = settings;
        this.connectivity = connectivity;
    }

    @Override
    public void onRunStart(RunContext run) {
        close();
        metrics = run.metrics();
        layout = ColumnLayout.of(run.model(), settings.columns(), connectivity, run.tasks());
        checkRestored();
        masks = new ColumnMasks(layout, run.manager());
        freeze = new ColumnFreeze(layout, run.manager());
        audit = new FreezeAudit(run.manager());
        long used = 0;
        for (int k = 0; k < layout.columns(); k++) {
            long n = layout.parametersOf(k);
            used += n;
            metrics.record("column_parameters_" + k, n);
        }
        metrics.record("masked_parameters", run.model().parameterCount() - used);
    }

    @Override
    public void onTaskStart(TaskContext task) {
        int t = task.task().index();
        metrics.record("column", layout.columnOfTask(t));
        metrics.record("trainable_parameters", layout.parametersOf(layout.columnOfTask(t)));
        metrics.record("frozen_parameters", freeze.frozenWhile(t));
        audit.begin(task.model(), freeze.multipliers(t));
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        if (!freeze.multipliers(task.task().index()).isEmpty()) {
            metrics.record("frozen_change", audit.largestChange(task.model()));
        }
        audit.close();
    }

    @Override
    public NDArray weightMask(Parameter parameter, MaskQuery query) {
        // before onRunStart there are no columns yet: the host as it is
        return masks == null ? null : masks.forParameter(parameter.name(), query.task().index());
    }

    @Override
    public void transform(StepContext step) {
        freeze.apply(step.model(), step.task().index());
    }

    @Override
    public void close() {
        if (masks != null) {
            masks.close();
            masks = null;
        }
        if (freeze != null) {
            freeze.close();
            freeze = null;
        }
        if (audit != null) {
            audit.close();
            audit = null;
        }
    }

    /**
     * The masks follow from the configuration and the host's shape alone; the state records the layout so
     * that a resumed run can refuse a host cut differently.
     */
    @Override
    public void saveState(StateWriter out) {
        if (layout != null) {
            out.putString("layout", layout.describe());
        }
    }

    @Override
    public void restoreState(StateReader in) {
        restored = in.keys().contains("layout") ? in.getString("layout") : null;
        checkRestored();
    }

    private void checkRestored() {
        if (restored != null && layout != null && !restored.equals(layout.describe())) {
            throw new IllegalStateException("the saved columns are " + restored + " but this run's are "
                    + layout.describe() + "; resume with the same model.hidden and columns");
        }
    }
}
