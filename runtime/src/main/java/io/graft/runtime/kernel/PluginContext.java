package io.graft.runtime.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.graft.api.Protocol;
import io.graft.api.model.Batch;
import io.graft.api.model.ModelView;
import io.graft.api.model.TaskInfo;
import io.graft.api.train.MetricSink;
import io.graft.api.train.StepContext;
import io.graft.api.train.TaskData;
import java.util.List;
import java.util.Random;

/**
 * What one plugin sees at every hook: a view of the shared {@link KernelState} plus the plugin's own random
 * source and metric sink. One instance per plugin per run; the run-level methods work at every hook, the
 * task-level ones from {@code onTaskStart} to {@code onTaskEnd}, the step-level ones during a step.
 */
final class PluginContext implements StepContext {

    private final KernelState state;
    private final String pluginId;
    private final Random random;
    private final MetricSink metrics;
    private int replayedFrom = -1;

    PluginContext(KernelState state, String pluginId, Random random, MetricSink metrics) {
        this.state = state;
        this.pluginId = pluginId;
        this.random = random;
        this.metrics = metrics;
    }

    String pluginId() {
        return pluginId;
    }

    @Override
    public ModelView model() {
        return state.host;
    }

    @Override
    public NDManager manager() {
        return state.runManager;
    }

    @Override
    public List<TaskInfo> tasks() {
        return state.tasks;
    }

    @Override
    public List<Protocol> protocols() {
        return state.protocols;
    }

    @Override
    public long seed() {
        return state.seed;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public MetricSink metrics() {
        return metrics;
    }

    @Override
    public TaskInfo task() {
        if (state.taskIndex < 0) {
            throw new IllegalStateException("no task in progress");
        }
        return state.tasks.get(state.taskIndex);
    }

    @Override
    public TaskData data() {
        if (state.taskData == null) {
            throw new IllegalStateException("no task in progress");
        }
        return state.taskData;
    }

    @Override
    public long step() {
        return state.step;
    }

    @Override
    public long taskSteps() {
        return state.taskSteps;
    }

    @Override
    public long stepInTask() {
        return state.stepInTask;
    }

    @Override
    public int epoch() {
        return state.epoch;
    }

    @Override
    public Batch batch() {
        if (state.batch == null) {
            throw new IllegalStateException("no step in progress");
        }
        return state.batch;
    }

    @Override
    public NDManager stepManager() {
        if (!state.inStep) {
            throw new IllegalStateException("no step in progress");
        }
        return state.stepManager;
    }

    @Override
    public NDArray logits() {
        return state.logits();
    }

    @Override
    public double loss() {
        return state.loss;
    }

    @Override
    public NDArray outputs() {
        return state.outputs();
    }

    @Override
    public int replayedFrom() {
        return replayedFrom;
    }

    /** Records where this plugin's replayed rows start in the step's rows ({@code -1}: none). */
    void replayedFrom(int row) {
        this.replayedFrom = row;
    }
}
