package io.graft.plugin.testkit;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.NDManager;
import io.graft.api.model.ModelView;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.RunContext;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskContext;
import io.graft.api.train.TaskData;
import java.util.Random;

/**
 * Mockito stand-ins for the contexts the kernel hands to plugins. Each is a mock with the named values
 * stubbed; a test stubs more ({@code when(step.batch()).thenReturn(...)}) as it needs. Mockito is a
 * provided dependency of this kit: the plugin's own test scope supplies it.
 */
public final class Contexts {

    private Contexts() {}

    /**
     * @param model the model
     * @param runManager the run manager
     * @param metrics the metric sink
     * @param random the plugin's random source
     * @return a run context
     */
    public static RunContext run(ModelView model, NDManager runManager, MetricSink metrics, Random random) {
        RunContext run = mock(RunContext.class);
        when(run.model()).thenReturn(model);
        when(run.manager()).thenReturn(runManager);
        when(run.metrics()).thenReturn(metrics);
        when(run.random()).thenReturn(random);
        return run;
    }

    /**
     * @param index the task's index (its classes are 0, 1, 2)
     * @param data its training data
     * @param model the model
     * @param runManager the run manager
     * @param metrics the metric sink
     * @param random the plugin's random source
     * @return a task context
     */
    public static TaskContext task(int index, TaskData data, ModelView model, NDManager runManager, MetricSink metrics,
                            Random random) {
        return task(new TaskInfo(index, "task " + index, new int[] {0, 1, 2}), data, model, runManager, metrics, random);
    }

    /**
     * @param info the task
     * @param data its training data (may be null where the plugin does not read it)
     * @param model the model
     * @param runManager the run manager
     * @param metrics the metric sink
     * @param random the plugin's random source
     * @return a task context
     */
    public static TaskContext task(TaskInfo info, TaskData data, ModelView model, NDManager runManager,
                                   MetricSink metrics, Random random) {
        TaskContext task = mock(TaskContext.class);
        when(task.task()).thenReturn(info);
        when(task.data()).thenReturn(data);
        when(task.model()).thenReturn(model);
        when(task.manager()).thenReturn(runManager);
        when(task.metrics()).thenReturn(metrics);
        when(task.random()).thenReturn(random);
        return task;
    }

    /**
     * @param index the step's index in the run
     * @param model the model
     * @param stepManager the step's manager
     * @param metrics the metric sink
     * @return a step context
     */
    public static StepContext step(long index, ModelView model, NDManager stepManager, MetricSink metrics) {
        StepContext step = mock(StepContext.class);
        when(step.step()).thenReturn(index);
        when(step.model()).thenReturn(model);
        when(step.stepManager()).thenReturn(stepManager);
        when(step.metrics()).thenReturn(metrics);
        return step;
    }

    /**
     * A step inside a task: {@link #step(long, ModelView, NDManager, MetricSink)} with the task, the step's
     * position in it and the run manager stubbed as well.
     *
     * @param index the step's index in the run
     * @param info the task in progress
     * @param stepInTask the step within the task, from 0
     * @param taskSteps the task's number of steps
     * @param model the model
     * @param runManager the run manager
     * @param stepManager the step's manager
     * @param metrics the metric sink
     * @return a step context
     */
    public static StepContext step(long index, TaskInfo info, long stepInTask, long taskSteps, ModelView model,
                                   NDManager runManager, NDManager stepManager, MetricSink metrics) {
        StepContext step = step(index, model, stepManager, metrics);
        when(step.task()).thenReturn(info);
        when(step.stepInTask()).thenReturn(stepInTask);
        when(step.taskSteps()).thenReturn(taskSteps);
        when(step.manager()).thenReturn(runManager);
        return step;
    }
}
