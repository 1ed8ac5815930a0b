package io.graft.plugin.lwf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.graft.api.StateReader;
import io.graft.api.StateWriter;
import io.graft.api.Stateful;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import io.graft.api.regularization.Regularizer;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.support.RunState;
import io.graft.plugin.support.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Learning without Forgetting (Li &amp; Hoiem, 2016) as a regularizer.
 *
 * <p>At the start of every task after the first it takes a frozen snapshot of the model (the "teacher",
 * {@link ModelView#snapshot}) in a sub-manager of the run manager, releasing the previous one. Every step of
 * that task then adds
 * <pre>
 *   λ · T² · mean over the incoming rows of KL( softmax(teacher(x)_old / T) ‖ softmax(student(x)_old / T) )
 * </pre>
 * where {@code student(x)} are the live logits of the incoming rows ({@link StepContext#outputs()}, first
 * {@code batch().size()} rows, so rows replayed by a rehearsal plugin are not distilled) and {@code _old}
 * keeps only the logits of the classes of the tasks before the current one ({@link RunContext#tasks()}).
 *
 * <p>Graft trains a single head over all classes, whereas LwF was defined for one head per task; the
 * standard single-head adaptation used here distils the old classes' logits only, renormalised by their own
 * softmax, so the new task's cross-entropy alone decides the new classes and the term only asks the network to
 * keep the relative scores of the old classes on new data. The T² factor keeps the term's gradient with respect
 * to the logits on the scale of the cross-entropy's (it is {@code λ·T·(p_student − p_teacher)/n}).
 *
 * <p>State: the teacher's parameters and the task it was taken for. On restore the teacher is rebuilt at the
 * next hook as a snapshot of the model whose parameters are then overwritten in place with the saved values;
 * if the saved parameters no longer fit the model (other names or shapes), the teacher is dropped and the next
 * task start takes a fresh one.
 */
final class LwfRegularizer implements Regularizer, Stateful {

    /** Steps between two recordings of the distillation term (reading it back costs a device sync). */
    static final int METRIC_EVERY = 50;

    private final LwfSettings settings;
    private final RunState run = new RunState();
    private NDManager teacherManager;
    private ModelView teacher;
    /** Index of the task the teacher serves (it was taken at that task's start), or -1. */
    private int teacherTask = -1;
    /** The classes of the tasks before {@link #teacherTask}, ascending. */
    private int[] oldClasses = new int[0];
    /** Teacher parameters restored but not yet rebuilt into a model; owned by {@link RunState#restoreTarget()}. */
    private Map<String, NDArray> restored;
    private int restoredTask = -1;

    LwfRegularizer(LwfSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onRunStart(RunContext context) {
        start(context);
    }

    @Override
    public void onTaskStart(TaskContext task) {
        start(task);
        int index = task.task().index();
        if (teacher != null && teacherTask == index) {
            return; // restored mid-task: the restored teacher is the model of the task start
        }
        dropTeacher();
        if (index == 0) {
            return;
        }
        int[] classes = classesBefore(task, index);
        if (classes.length == 0) {
            return;
        }
        teacherManager = run.manager().newSubManager();
        teacher = task.model().snapshot(teacherManager);
        teacherTask = index;
        oldClasses = classes;
    }

    @Override
    public NDArray penalty(StepContext step) {
        start(step);
        if (teacher == null || settings.lambda() == 0.0 || oldClasses.length == 0) {
            return null;
        }
        int n = step.batch().size();
        if (n == 0) {
            return null;
        }
        NDManager scratch = step.stepManager();
        NDArray outputs = step.outputs();
        NDArray student = outputs.getShape().get(0) == n ? outputs : outputs.get(new NDIndex("0:" + n));
        NDArray teacherLogits = teacher.predict(step.batch().features());
        teacherLogits.attach(scratch);
        NDArray penalty = Tensors.scaled(distillation(student, teacherLogits, oldClasses, settings.temperature(),
                scratch), settings.lambda());
        penalty.attach(scratch);
        if (run.metrics() != null && step.step() % METRIC_EVERY == 0) {
            NDArray value = penalty.stopGradient();
            value.attach(scratch);
            run.metrics().record("distillation", value.getFloat());
        }
        return penalty;
    }

    /**
     * {@code T² · mean_rows KL(softmax(t_old/T) ‖ softmax(s_old/T))}, built so that gradients flow into
     * {@code student} only.
     *
     * @param student live logits {@code (n, outputs)}
     * @param teacher the teacher's logits {@code (n, outputs)}, without gradient
     * @param classes the columns that take part
     * @param temperature T
     * @param scratch owner of every temporary
     * @return a scalar of the logits' type
     */
    static NDArray distillation(NDArray student, NDArray teacher, int[] classes, double temperature,
                                NDManager scratch) {
        int outputs = Math.toIntExact(student.getShape().get(student.getShape().dimension() - 1));
        // a one-hot selection matrix (outputs, k): a matMul keeps the chosen columns, in any order, with gradient
        float[] select = new float[outputs * classes.length];
        for (int j = 0; j < classes.length; j++) {
            if (classes[j] < 0 || classes[j] >= outputs) {
                throw new IllegalArgumentException("class " + classes[j] + " is not one of the model's "
                        + outputs + " outputs");
            }
            select[classes[j] * classes.length + j] = 1f;
        }
        NDArray selection = scratch.create(select, new Shape(outputs, classes.length))
                .toType(student.getDataType(), false);
        selection.attach(scratch);
        double inverseT = 1.0 / temperature;
        NDArray s = attach(Tensors.scaled(attach(student.matMul(selection), scratch), inverseT), scratch);
        NDArray t = attach(Tensors.scaled(attach(teacher.toType(student.getDataType(), false).matMul(selection),
                scratch), inverseT), scratch);
        NDArray logTeacher = attach(t.logSoftmax(-1), scratch);
        NDArray pTeacher = attach(logTeacher.exp(), scratch);
        NDArray logStudent = attach(s.logSoftmax(-1), scratch);
        NDArray kl = attach(pTeacher.mul(logTeacher.sub(logStudent)).sum(new int[] {1}).mean(), scratch);
        return attach(Tensors.scaled(kl, temperature * temperature), scratch);
    }

    private static NDArray attach(NDArray a, NDManager scratch) {
        a.attach(scratch);
        return a;
    }

    /** @return the classes of every task before {@code index}, ascending and without repeats */
    private static int[] classesBefore(RunContext context, int index) {
        TreeSet<Integer> classes = new TreeSet<>();
        for (TaskInfo t : context.tasks()) {
            if (t.index() < index) {
                for (int c : t.classes()) {
                    classes.add(c);
                }
            }
        }
        return classes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the current teacher, or {@code null} (for tests) */
    ModelView teacher() {
        return teacher;
    }

    /** @return the classes distilled, ascending (for tests) */
    int[] oldClasses() {
        return oldClasses.clone();
    }

    @Override
    public void saveState(StateWriter out) {
        if (teacher != null) {
            out.putLong("teacherTask", teacherTask);
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Parameter p : teacher.parameters()) {
                params.put(p.name(), p.array());
            }
            Tensors.save(out, "teacher.", params);
        } else if (restored != null) {
            out.putLong("teacherTask", restoredTask);
            Tensors.save(out, "teacher.", restored);
        } else {
            out.putLong("teacherTask", -1);
        }
    }

    @Override
    public void restoreState(StateReader in) {
        dropTeacher();
        dropRestored();
        int task = Math.toIntExact(in.getLong("teacherTask"));
        if (task < 0) {
            return;
        }
        restored = Tensors.load(in, "teacher.", run.restoreTarget());
        restoredTask = task;
    }

    @Override
    public void close() {
        dropTeacher();
        dropRestored();
        run.close();
    }

    private void start(RunContext context) {
        run.start(context, state -> {
            if (restored != null) {
                Tensors.moveTo(restored, state);
            }
        });
        if (restored != null && run.manager() != null) {
            rebuild(context);
        }
    }

    /** Turns restored teacher parameters into a teacher: a snapshot of the model overwritten in place. */
    private void rebuild(RunContext context) {
        NDManager manager = run.manager().newSubManager();
        ModelView copy = context.model().snapshot(manager);
        boolean fits = copy.parameters().size() == restored.size();
        for (Parameter p : copy.parameters()) {
            NDArray saved = restored.get(p.name());
            if (!Tensors.sameShape(saved, p.array())) {
                fits = false;
                break;
            }
            try (NDArray view = p.array().stopGradient()) { // shares the copy's storage
                view.muli(0).addi(saved.toType(view.getDataType(), false));
            }
        }
        int task = restoredTask;
        dropRestored();
        if (!fits) {
            manager.close();
            return;
        }
        dropTeacher();
        teacherManager = manager;
        teacher = copy;
        teacherTask = task;
        oldClasses = classesBefore(context, task);
    }

    private void dropTeacher() {
        if (teacherManager != null) {
            teacherManager.close();
        }
        teacherManager = null;
        teacher = null;
        teacherTask = -1;
        oldClasses = new int[0];
    }

    private void dropRestored() {
        if (restored != null) {
            Tensors.clear(restored);
        }
        restored = null;
        restoredTask = -1;
    }
}
