package io.graft.plugin.lwf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.graft.api.model.Batch;
import io.graft.api.model.ModelView;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.plugin.testkit.ArrayTaskData;
import io.graft.plugin.testkit.Contexts;
import io.graft.plugin.testkit.LinearModelView;
import io.graft.plugin.testkit.MapState;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LwfRegularizerTest {

    /** Three tasks of two classes each over a 6-output linear model on 2 inputs. */
    private static final List<TaskInfo> TASKS = List.of(new TaskInfo(0, "classes 0,1", new int[] {0, 1}),
            new TaskInfo(1, "classes 2,3", new int[] {2, 3}), new TaskInfo(2, "classes 4,5", new int[] {4, 5}));

    private static final float[][] W = {{1, -1}, {0.5f, 2}, {-1, 0}, {2, 1}, {0, 0.5f}, {1, 1}};
    private static final float[] B = {0.1f, -0.2f, 0.3f, 0, 0.5f, -0.5f};

    private NDManager root;
    private NDManager modelManager;
    private NDManager runManager;
    private NDManager stepManager;
    private MetricSink metrics;
    private LinearModelView model;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        modelManager = root.newSubManager();
        runManager = root.newSubManager();
        stepManager = root.newSubManager();
        metrics = mock(MetricSink.class);
        model = new LinearModelView(modelManager, W, B);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private RunContext run() {
        RunContext run = Contexts.run(model, runManager, metrics, new Random(1));
        when(run.tasks()).thenReturn(TASKS);
        return run;
    }

    private TaskContext task(int index) {
        TaskContext task = Contexts.task(index, ArrayTaskData.repeated(new float[] {0, 0}, 1), model, runManager,
                metrics, new Random(1));
        when(task.task()).thenReturn(TASKS.get(index));
        when(task.tasks()).thenReturn(TASKS);
        return task;
    }

    private LwfRegularizer started(double lambda, double temperature) {
        LwfRegularizer lwf = new LwfRegularizer(new LwfSettings(lambda, temperature));
        lwf.onRunStart(run());
        return lwf;
    }

    /** A step whose incoming batch is {@code x} and whose outputs are {@code outputs}. */
    private StepContext step(long index, float[][] x, NDArray outputs) {
        StepContext step = Contexts.step(index, model, stepManager, metrics);
        NDArray features = stepManager.create(x);
        Batch batch = new Batch(features, stepManager.zeros(new Shape(x.length), ai.djl.ndarray.types.DataType.INT64),
                stepManager.zeros(new Shape(x.length), ai.djl.ndarray.types.DataType.INT64));
        when(step.batch()).thenReturn(batch);
        when(step.outputs()).thenReturn(outputs);
        return step;
    }

    private static double[] logits(float[][] w, float[] b, float[] x) {
        double[] z = new double[w.length];
        for (int c = 0; c < w.length; c++) {
            z[c] = b[c];
            for (int i = 0; i < x.length; i++) {
                z[c] += w[c][i] * x[i];
            }
        }
        return z;
    }

    private static double[] softmax(double[] z, int[] cols, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c : cols) {
            max = Math.max(max, z[c] / t);
        }
        double sum = 0;
        double[] p = new double[cols.length];
        for (int j = 0; j < cols.length; j++) {
            p[j] = Math.exp(z[cols[j]] / t - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** Hand computation: λ·T²·mean over rows of Σ_j p_t,j·log(p_t,j / p_s,j) on the given columns. */
    private static double expected(double lambda, double t, double[][] student, double[][] teacher, int[] cols) {
        double total = 0;
        for (int r = 0; r < student.length; r++) {
            double[] ps = softmax(student[r], cols, t);
            double[] pt = softmax(teacher[r], cols, t);
            for (int j = 0; j < cols.length; j++) {
                total += pt[j] * Math.log(pt[j] / ps[j]);
            }
        }
        return lambda * t * t * total / student.length;
    }

    @Test
    void klTermOnATinyCaseMatchesTheHandComputedValue() {
        float[][] s = {{1, 2, 3, 0}, {0, -1, 0.5f, 2}};
        float[][] t = {{2, 0, 5, 1}, {0.5f, 0.5f, -3, 1}};
        NDArray value = LwfRegularizer.distillation(stepManager.create(s), stepManager.create(t), new int[] {0, 1},
                2.0, stepManager);
        // row 0: p_t = softmax(1, 0) = (0.7311, 0.2689), p_s = softmax(0.5, 1) = (0.3775, 0.6225)
        double row0 = 0.7310586 * Math.log(0.7310586 / 0.3775407) + 0.2689414 * Math.log(0.2689414 / 0.6224593);
        // row 1: p_t = softmax(0.25, 0.25) = (0.5, 0.5), p_s = softmax(0, -0.5) = (0.6224593, 0.3775407)
        double row1 = 0.5 * Math.log(0.5 / 0.6224593) + 0.5 * Math.log(0.5 / 0.3775407);
        assertEquals(4 * (row0 + row1) / 2, value.getFloat(), 1e-5);
        assertEquals(expected(1, 2, toDouble(s), toDouble(t), new int[] {0, 1}), value.getFloat(), 1e-5);
    }

    @Test
    void nothingBeforeTheSecondTask() {
        LwfRegularizer lwf = started(1, 2);
        StepContext step = step(0, new float[][] {{1, 1}}, stepManager.zeros(new Shape(1, 6)));
        assertNull(lwf.penalty(step));
        lwf.onTaskStart(task(0));
        assertNull(lwf.teacher());
        assertNull(lwf.penalty(step));
        verify(metrics, never()).record(anyString(), anyDouble());
        lwf.close();
    }

    @Test
    void zeroWhenStudentEqualsTeacher() {
        LwfRegularizer lwf = started(5, 2);
        lwf.onTaskStart(task(0));
        lwf.onTaskStart(task(1));
        float[][] x = {{1, 2}, {-1, 0.5f}};
        NDArray outputs = model.predict(stepManager.create(x));
        NDArray penalty = lwf.penalty(step(1, x, outputs));
        assertNotNull(penalty);
        assertEquals(0.0, penalty.getFloat(), 1e-6);
        lwf.close();
    }

    @Test
    void penaltyDistilsTheTeacherTakenAtTaskStartOnTheIncomingRowsAndOldClassesOnly() {
        LwfRegularizer lwf = started(3, 2);
        lwf.onTaskStart(task(0));
        lwf.onTaskStart(task(1));
        assertArrayEquals(new int[] {0, 1}, lwf.oldClasses());
        // training moves the student; the teacher stays as it was at the task start
        float[][] w2 = {{0, 1}, {2, -1}, {5, 5}, {-3, 2}, {1, 1}, {0, 0}};
        float[] b2 = {1, 0, -2, 3, 0, 1};
        overwrite(model, w2, b2);
        float[][] x = {{1, 2}, {-1, 0.5f}};
        // a third, replayed row that must not be distilled
        float[][] rows = {x[0], x[1], {10, -10}};
        NDArray outputs = model.predict(stepManager.create(rows));
        double[][] student = {logits(w2, b2, x[0]), logits(w2, b2, x[1])};
        double[][] teacher = {logits(W, B, x[0]), logits(W, B, x[1])};
        NDArray penalty = lwf.penalty(step(0, x, outputs));
        double want = expected(3, 2, student, teacher, new int[] {0, 1});
        assertEquals(want, penalty.getFloat(), 1e-4);
        assertEquals(0, penalty.getShape().dimension());
        verify(metrics).record(eq("distillation"), eq((double) penalty.getFloat()));

        // the new task's logits (2..5) do not enter: changing them leaves the penalty unchanged
        float[][] w3 = w2.clone();
        w3[2] = new float[] {-7, 7};
        w3[5] = new float[] {9, 9};
        overwrite(model, w3, b2);
        NDArray again = lwf.penalty(step(1, x, model.predict(stepManager.create(rows))));
        assertEquals(want, again.getFloat(), 1e-4);
        verify(metrics).record(anyString(), anyDouble()); // step 1: not a metric step
        lwf.close();
    }

    @Test
    void gradientWithRespectToTheStudentLogitsIsLambdaTimesTTimesProbabilityGap() {
        double lambda = 3;
        double t = 2;
        LwfRegularizer lwf = started(lambda, t);
        lwf.onTaskStart(task(0));
        lwf.onTaskStart(task(1));
        lwf.onTaskStart(task(2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, lwf.oldClasses());
        float[][] x = {{1, 2}, {-1, 0.5f}};
        float[][] out = {{0.3f, -1, 2, 0.5f, 4, -4}, {1, 1, -2, 0, 0, 3}, {9, 9, 9, 9, 9, 9}};
        NDArray outputs = stepManager.create(out);
        outputs.setRequiresGradient(true);
        int[] cols = {0, 1, 2, 3};
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray penalty = lwf.penalty(step(1, x, outputs));
            gc.backward(penalty);
        }
        float[] grad = outputs.getGradient().toFloatArray();
        for (int r = 0; r < 3; r++) {
            double[] ps = r < 2 ? softmax(toDouble(out)[r], cols, t) : null;
            double[] pt = r < 2 ? softmax(logits(W, B, x[r]), cols, t) : null;
            for (int c = 0; c < 6; c++) {
                double want = r < 2 && c < 4 ? lambda * t * (ps[c] - pt[c]) / 2 : 0.0;
                assertEquals(want, grad[r * 6 + c], 1e-5, "row " + r + ", class " + c);
            }
        }
        lwf.close();
    }

    @Test
    void eachTaskStartReplacesTheTeacherAndLambdaZeroAddsNothing() {
        LwfRegularizer lwf = started(1, 2);
        lwf.onTaskStart(task(1));
        ModelView first = lwf.teacher();
        lwf.onTaskStart(task(2));
        assertNotSame(first, lwf.teacher());
        LwfRegularizer off = started(0, 2);
        off.onTaskStart(task(1));
        assertNull(off.penalty(step(0, new float[][] {{1, 1}}, stepManager.zeros(new Shape(1, 6)))));
        lwf.close();
        off.close();
    }

    @Test
    void stateRoundTripRebuildsTheTeacher() {
        LwfRegularizer lwf = started(3, 2);
        lwf.onTaskStart(task(1));
        float[][] w2 = {{0, 1}, {2, -1}, {5, 5}, {-3, 2}, {1, 1}, {0, 0}};
        float[] b2 = {1, 0, -2, 3, 0, 1};
        overwrite(model, w2, b2);
        float[][] x = {{1, 2}, {-1, 0.5f}};
        float before = lwf.penalty(step(1, x, model.predict(stepManager.create(x)))).getFloat();
        try (MapState state = new MapState()) {
            lwf.saveState(state);
            lwf.close();
            LwfRegularizer resumed = new LwfRegularizer(new LwfSettings(3, 2));
            resumed.restoreState(state); // before the run starts: rebuilt at the first hook
            resumed.onRunStart(run());
            assertArrayEquals(new int[] {0, 1}, resumed.oldClasses());
            resumed.onTaskStart(task(1)); // resumed within task 1: the restored teacher stays
            float after = resumed.penalty(step(1, x, model.predict(stepManager.create(x)))).getFloat();
            assertEquals(before, after, 1e-5);
            assertEquals(expected(3, 2, new double[][] {logits(w2, b2, x[0]), logits(w2, b2, x[1])},
                    new double[][] {logits(W, B, x[0]), logits(W, B, x[1])}, new int[] {0, 1}), after, 1e-4);
            resumed.close();
        }
        try (MapState empty = new MapState()) {
            LwfRegularizer none = started(3, 2);
            none.saveState(empty);
            LwfRegularizer restored = started(3, 2);
            restored.restoreState(empty);
            assertNull(restored.penalty(step(1, x, model.predict(stepManager.create(x)))));
            none.close();
            restored.close();
        }
    }

    private static void overwrite(LinearModelView model, float[][] w, float[] b) {
        try (NDManager scratch = model.manager().newSubManager()) {
            NDArray wv = model.parameter("w").array().stopGradient();
            NDArray bv = model.parameter("b").array().stopGradient();
            wv.attach(scratch);
            bv.attach(scratch);
            wv.muli(0).addi(scratch.create(w));
            bv.muli(0).addi(scratch.create(b));
        }
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][];
        for (int r = 0; r < a.length; r++) {
            d[r] = new double[a[r].length];
            for (int c = 0; c < a[r].length; c++) {
                d[r][c] = a[r][c];
            }
        }
        return d;
    }
}
