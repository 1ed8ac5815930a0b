package io.graft.plugin.hat;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.graft.api.model.ModelView;
import io.graft.api.model.Parameter;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A 3-2-2-4 network's parameters as the MLP host names them ({@code fc1}, {@code fc2}, {@code out}), with
 * gradients a test sets by hand; and the contexts HAT's hooks receive.
 */
final class TinyMlp implements ModelView {

    private final NDManager manager;
    private final Map<String, NDArray> values = new LinkedHashMap<>();
    private final Map<String, NDArray> gradients = new LinkedHashMap<>();

    TinyMlp(NDManager manager) {
        this.manager = manager;
        add("fc1.weight", new Shape(2, 3));
        add("fc1.bias", new Shape(2));
        add("fc2.weight", new Shape(2, 2));
        add("fc2.bias", new Shape(2));
        add("out.weight", new Shape(4, 2));
        add("out.bias", new Shape(4));
    }

    private void add(String name, Shape shape) {
        values.put(name, manager.zeros(shape));
        gradients.put(name, manager.ones(shape));
    }

    /** Sets every gradient to ones. */
    void onesGradients() {
        for (NDArray g : gradients.values()) {
            g.muli(0).addi(1);
        }
    }

    /**
     * @param name a parameter
     * @return its gradient as floats
     */
    float[] gradient(String name) {
        return gradients.get(name).toFloatArray();
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        for (String n : values.keySet()) {
            out.add(parameter(n));
        }
        return out;
    }

    @Override
    public Parameter parameter(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(name);
        }
        return new Parameter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray array() {
                return values.get(name);
            }

            @Override
            public NDArray gradient() {
                return gradients.get(name);
            }
        };
    }

    @Override
    public long parameterCount() {
        return values.values().stream().mapToLong(NDArray::size).sum();
    }

    @Override
    public int outputs() {
        return 4;
    }

    @Override
    public NDArray predict(NDArray features) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, NDArray> gradients(NDArray features, UnaryOperator<NDArray> loss, NDManager out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ModelView snapshot(NDManager m) {
        throw new UnsupportedOperationException();
    }

    /**
     * @param index the task's index
     * @param classes its classes
     * @param runManager the run manager
     * @param metrics where metrics go
     * @return the task's context
     */
    TaskContext task(int index, int[] classes, NDManager runManager, MetricSink metrics) {
        TaskContext task = mock(TaskContext.class);
        when(task.task()).thenReturn(new TaskInfo(index, "task " + index, classes));
        when(task.model()).thenReturn(this);
        when(task.manager()).thenReturn(runManager);
        when(task.metrics()).thenReturn(metrics);
        when(task.random()).thenReturn(new Random(7));
        return task;
    }

    /**
     * @param index the task's index
     * @param classes its classes
     * @param stepInTask the step within the task
     * @param taskSteps the task's steps
     * @param runManager the run manager
     * @param stepManager the step's manager
     * @param metrics where metrics go
     * @return the step's context
     */
    StepContext step(int index, int[] classes, long stepInTask, long taskSteps, NDManager runManager,
                     NDManager stepManager, MetricSink metrics) {
        StepContext step = mock(StepContext.class);
        when(step.task()).thenReturn(new TaskInfo(index, "task " + index, classes));
        when(step.model()).thenReturn(this);
        when(step.manager()).thenReturn(runManager);
        when(step.stepManager()).thenReturn(stepManager);
        when(step.metrics()).thenReturn(metrics);
        when(step.random()).thenReturn(new Random(7));
        when(step.stepInTask()).thenReturn(stepInTask);
        when(step.taskSteps()).thenReturn(taskSteps);
        when(step.step()).thenReturn(stepInTask);
        return step;
    }
}
