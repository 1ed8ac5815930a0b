package io.graft.plugin.packnet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.gradient.GradientTransform;
import io.graft.api.masking.MaskQuery;
import io.graft.api.masking.TaskMask;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.HostArrays;
import io.graft.plugin.support.RunState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PackNet (Mallya and Lazebnik, 2018): every weight belongs to the task that kept it, so a task's network is
 * fixed once it has been trained and later tasks can only add to it.
 *
 * <p>Each task trains the weights it finds free; after {@code pruneAt} of its steps it is <em>packed</em>: per
 * layer it keeps the largest-magnitude {@code 1 − pruneRatio} of them (see {@link Ownership} for biases and the
 * head), the others are zeroed and left free for later tasks, and its remaining steps retrain only what it kept.
 * In the forward pass ({@link TaskMask}) a packed task {@code t} is evaluated with exactly the weights of tasks
 * {@code 0..t}, so what later tasks add never reaches it; the task in training, and any task not yet packed, sees
 * them plus the free ones, which is the whole network (no later task owns anything yet). In the gradient
 * ({@link GradientTransform}) every weight the task in training may not change gets a zero gradient, which with
 * plain SGD leaves it exactly as it was. Task-IL forgetting is therefore zero by construction.
 *
 * <p>Limits: freezing by gradient is exact only without momentum (a velocity built up before a weight was frozen
 * would keep moving it). The MLP host has no BatchNorm; a host with BatchNorm needs per-task normalisation
 * statistics (each task's running mean and variance kept and swapped in with its mask), which this plugin does
 * not provide yet.
 *
 * <p>Before training it checks that every task of the scenario will find free weights in every layer and refuses
 * the run otherwise. Metrics at each packing: {@code capacity_task} (share of the network's weights the task now
 * owns), {@code capacity_used}, {@code capacity_free}, {@code capacity_task.<parameter>} per weight matrix, and
 * {@code released}. The state is the owner of every entry and the last packed task.
 */
final class PackNet implements TaskMask, GradientTransform, Stateful {

    private final PackNetSettings settings;
    private final RunState run = new RunState();
    private final MaskCache masks = new MaskCache();
    private Ownership ownership;
    private List<TaskInfo> tasks;
    /** The last task packed, -1 before the first; tasks are packed in training order. */
    private int packedThrough = -1;

    PackNet(PackNetSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onRunStart(RunContext context) {
        if (ownership != null) {
            checkFits(shapesOf(context.model()));
        }
        start(context);
        CapacityPlan.check(ownership, tasks, packedThrough + 1, settings);
    }

    @Override
    public void onTaskStart(TaskContext task) {
        start(task);
    }

    @Override
    public NDArray weightMask(Parameter parameter, MaskQuery query) {
        int task = query.task().index();
        // in training the task also sees the free weights: zero once it is packed (released) or in rows of other
        // tasks' classes (outside its loss), so no mask changes its loss and the multiplication is saved
        if (query.training() || ownership == null || task > packedThrough
                || !ownership.names().contains(parameter.name())) {
            return null;
        }
        return masks.visible(ownership, parameter.name(), task, parameter.array().getDataType(), run.manager());
    }

    @Override
    public void transform(StepContext step) {
        start(step);
        int task = step.task().index();
        boolean packed = task <= packedThrough;
        for (Parameter p : step.model().parameters()) {
            NDArray g = p.gradient();
            if (g == null || !ownership.names().contains(p.name())) {
                continue;
            }
            NDArray open = masks.trainable(ownership, p.name(), task, packed, g.getDataType(), run.manager());
            if (open != null) {
                g.muli(open);
            }
        }
    }

    @Override
    public void afterStep(StepContext step) {
        start(step);
        if (step.task().index() > packedThrough
                && step.stepInTask() + 1 >= settings.pruneAfter(step.taskSteps())) {
            pack(step);
        }
    }

    @Override
    public void onTaskEnd(TaskContext task) {
        start(task);
        // a task shorter than its pruning point (or without steps) is packed as it stands
        if (task.task().index() > packedThrough) {
            pack(task);
        }
    }

    /** @return who owns what, or {@code null} before the run starts */
    Ownership ownership() {
        return ownership;
    }

    /** @return the last task packed, -1 before the first */
    int packedThrough() {
        return packedThrough;
    }

    private void pack(TaskContext context) {
        start(context);
        TaskInfo task = context.task();
        int t = task.index();
        if (t != packedThrough + 1) {
            throw new IllegalStateException("packnet packs tasks in order: task " + t + " follows task "
                    + packedThrough);
        }
        ModelView model = context.model();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : ownership.names()) {
            values.put(name, HostArrays.floats(model.parameter(name).array()));
        }
        Ownership.Packing packing = ownership.pack(t, values, task.classes(), CapacityPlan.laterClasses(tasks, t),
                CapacityPlan.ratio(settings, t, tasks.size()));
        long released = 0;
        for (Map.Entry<String, int[]> e : packing.released().entrySet()) {
            zero(model.parameter(e.getKey()).array(), e.getValue());
            released += e.getValue().length;
        }
        packedThrough = t;
        record(t, released);
    }

    /** Zeroes the released entries in place: they start from nothing when a later task claims them. */
    private static void zero(NDArray value, int[] released) {
        float[] keep = new float[Math.toIntExact(value.size())];
        Arrays.fill(keep, 1f);
        for (int i : released) {
            keep[i] = 0f;
        }
        try (NDManager scratch = value.getManager().newSubManager()) {
            NDArray mask = scratch.create(keep, value.getShape());
            if (value.getDataType() != DataType.FLOAT32) {
                mask = mask.toType(value.getDataType(), false);
            }
            value.muli(mask);
        }
    }

    private void record(int task, long released) {
        MetricSink metrics = run.metrics();
        if (metrics == null) {
            return;
        }
        long total = 0;
        long mine = 0;
        long free = 0;
        for (String name : ownership.names()) {
            if (!ownership.role(name).weights()) {
                continue;
            }
            long size = ownership.size(name);
            long own = ownership.count(name, task);
            total += size;
            mine += own;
            free += ownership.count(name, Ownership.FREE);
            metrics.record("capacity_task." + name, (double) own / size);
        }
        metrics.record("capacity_task", (double) mine / total);
        metrics.record("capacity_used", (double) (total - free) / total);
        metrics.record("capacity_free", (double) free / total);
        metrics.record("released", released);
    }

    @Override
    public void saveState(StateWriter out) {
        out.putLong("packedThrough", packedThrough);
        if (ownership == null) {
            out.putString("parameters", "");
            return;
        }
        out.putString("parameters", String.join("\n", ownership.names()));
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            for (String name : ownership.names()) {
                short[] owners = ownership.owners(name);
                int[] wide = new int[owners.length];
                for (int i = 0; i < owners.length; i++) {
                    wide[i] = owners[i];
                }
                out.putArray("owner." + name, scratch.create(wide, new Shape(ownership.shape(name))));
            }
        }
    }

    @Override
    public void restoreState(StateReader in) {
        int last = Math.toIntExact(in.getLong("packedThrough"));
        String joined = in.getString("parameters");
        Ownership restored = null;
        if (!joined.isEmpty()) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, short[]> owners = new LinkedHashMap<>();
            try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
                for (String name : joined.split("\n")) {
                    NDArray a = in.getArray("owner." + name, scratch);
                    shapes.put(name, a.getShape().getShape());
                    long[] wide = HostArrays.longs(a);
                    short[] narrow = new short[wide.length];
                    for (int i = 0; i < wide.length; i++) {
                        narrow[i] = (short) wide[i];
                    }
                    owners.put(name, narrow);
                }
            }
            restored = new Ownership(shapes);
            for (Map.Entry<String, short[]> e : owners.entrySet()) {
                restored.restore(e.getKey(), e.getValue());
            }
        }
        masks.clear();
        ownership = restored;
        packedThrough = last;
    }

    @Override
    public void close() {
        masks.close();
        run.close();
    }

    /** Every hook starts here, so that an instance restored in the middle of a run (a hot swap) works too. */
    private void start(RunContext context) {
        run.start(context, adopted -> { });
        if (tasks == null) {
            tasks = List.copyOf(context.tasks());
        }
        if (ownership == null) {
            ownership = new Ownership(shapesOf(context.model()));
        }
    }

    private static Map<String, long[]> shapesOf(ModelView model) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            shapes.put(p.name(), p.array().getShape().getShape());
        }
        return shapes;
    }

    private void checkFits(Map<String, long[]> shapes) {
        boolean same = shapes.keySet().equals(ownership.names());
        for (String name : ownership.names()) {
            same &= shapes.containsKey(name) && Arrays.equals(shapes.get(name), ownership.shape(name));
        }
        if (!same) {
            throw new IllegalStateException("packnet: the restored ownership covers " + ownership.names()
                    + ", which does not match this model's parameters " + shapes.keySet() + " and their shapes");
        }
    }
}
